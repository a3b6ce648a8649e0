/**
 * `bulk-cancel run --batch ID`: sends a batch's queued cancellations until each item is final (or the
 * clerk stops it, or it gives up offline), saying on stderr when it waits and why; `--retry-failed`
 * first gives the failed items a new round.
 */
import { totalCount, waitingCount } from '../../../shared/domain';
import { createSupervisor, type BatchSupervisor } from '../../core/batches/supervisor';
import { nodeTransport } from '../../core/providers/node-transport';
import { claimerName } from '../../core/queue/claimer';
import type { RunOptions, RunReport, RunStatus } from '../../core/queue/run-options';
import { DEFAULT_RUN_OPTIONS } from '../../core/queue/runner';
import { positiveInteger } from '../args';
import { EXIT, noPositionals, requireBatch, type Context } from '../context';
import type { Output } from '../io';

/** Runs the batch through the batch supervisor, as the app does, and waits for its end. */
export async function run({ db, credentials, log, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  const supervisor = createSupervisor({
    db,
    credentials,
    transport: nodeTransport,
    owner: claimerName('cli'),
    now: Date.now,
    random: Math.random,
    runOptions: runOptions(values),
    log,
  });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // --max-wait: how long to keep waiting while offline before giving up cleanly (items stay queued).
  const maxWaitMs = values['max-wait'] === undefined ? undefined : positiveInteger(values['max-wait'], 'max-wait', 0) * 1000;
  const waits = waitNotices(supervisor, batchId, maxWaitMs, abort);
  try {
    // The failed items get a new round in the same batch (their attempts so far stay recorded).
    const { report, requeued } = await supervisor.runToEnd(batchId, {
      signal: abort.signal,
      onStatus: waits.onStatus,
      requeueFailed: values['retry-failed'] === true,
    });
    printReport(out, batchId, requeued, report);
    if (waits.gaveUpOffline()) {
      process.stderr.write(
        `Gave up after waiting ${maxWaitMs! / 1000} s offline; ${report.counts.queued} item(s) stay queued. Run again to continue.\n`,
      );
    }
    return exitCode(report, abort.signal.aborted);
  } finally {
    waits.dispose();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The run's options: the defaults, with the flags given. */
function runOptions(values: Context['values']): Partial<RunOptions> {
  return {
    concurrency: positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency),
    chunkSize: positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize),
    maxAttempts: positiveInteger(values['max-attempts'], 'max-attempts', DEFAULT_RUN_OPTIONS.maxAttempts),
  };
}

interface WaitNotices {
  onStatus(status: RunStatus): void;
  /** Whether --max-wait ran out while offline (and so stopped the run). */
  gaveUpOffline(): boolean;
  dispose(): void;
}

/**
 * Says on stderr when the run waits (for the data file, or offline) and when it goes on; offline,
 * it stops the run once --max-wait has passed.
 */
function waitNotices(
  supervisor: BatchSupervisor,
  batchId: string,
  maxWaitMs: number | undefined,
  abort: AbortController,
): WaitNotices {
  let gaveUp: NodeJS.Timeout | undefined;
  let gaveUpOffline = false;
  let wasOffline = false;
  let waitingForDatabase = false;
  return {
    onStatus({ offline, databaseBusySince }) {
      if ((databaseBusySince !== undefined) !== waitingForDatabase) {
        waitingForDatabase = databaseBusySince !== undefined;
        process.stderr.write(
          waitingForDatabase
            ? 'Waiting: another program (an import?) is writing to the data file; sending goes on when it is done.\n'
            : 'The data file is free again: sending goes on.\n',
        );
      }
      // A change of the database's state alone says nothing about the connection.
      if (offline.length === 0 && !wasOffline) return;
      wasOffline = offline.length > 0;
      clearTimeout(gaveUp);
      if (offline.length === 0) {
        process.stderr.write('Back online: sending again.\n');
        return;
      }
      const queued = supervisor.summary(batchId).counts.queued;
      for (const account of offline) {
        process.stderr.write(
          `Offline: account "${account.accountName}" cannot reach its provider (${account.message}) ${queued} item(s) queued; waiting and retrying by itself.\n`,
        );
      }
      if (maxWaitMs !== undefined) {
        gaveUp = setTimeout(() => {
          gaveUpOffline = true;
          abort.abort();
        }, maxWaitMs);
      }
    },
    gaveUpOffline: () => gaveUpOffline,
    dispose: () => clearTimeout(gaveUp),
  };
}

/** The run's result on stdout, then each account held for the clerk on stderr. */
function printReport(out: Output, batchId: string, requeued: number | undefined, report: RunReport): void {
  const { counts } = report;
  const total = totalCount(counts);
  const document = { batchId, succeeded: counts.succeeded, failed: counts.failed, total };
  out.result(requeued === undefined ? document : { ...document, requeued }, () => [
    ...(requeued === undefined ? [] : [`Put ${requeued} failed item(s) back in the queue.`]),
    `Batch ${batchId}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.pending} pending, ${waitingCount(counts)} still queued${counts.stopped ? `, ${counts.stopped} stopped` : ''}, of ${total}.`,
    ...(counts.pending
      ? [
          `${counts.pending} item(s) pending: the provider accepted the cancellation and finishes it later (not failed); see bulk-cancel results --batch ${batchId}.`,
        ]
      : []),
  ]);
  for (const held of report.attention) process.stderr.write(`${held.message}\n`);
}

/** Accounts held for the clerk come first; a run stopped with items still waiting, or with failures, is exit 1. */
function exitCode(report: RunReport, aborted: boolean): number {
  const { counts } = report;
  if (report.attention.length) return EXIT.attention;
  if (report.paused && counts.queued > 0)
    process.stderr.write('The batch is paused; its queued items wait until it is resumed.\n');
  if (aborted && waitingCount(counts) > 0) return EXIT.someFailed;
  return counts.failed > 0 ? EXIT.someFailed : EXIT.done;
}
