/**
 * `bulk-cancel run --batch ID`: sends a batch's queued cancellations until each item is final (or the
 * clerk stops it, or it gives up offline), saying on stderr when it waits and why; `--retry-failed`
 * first gives the failed items a new round.
 */
import { totalCount, waitingCount } from '../../../shared/domain';
import { runLogging } from '../../core/activity';
import type { Db } from '../../core/db/open';
import type { Log } from '../../core/log';
import { nodeTransport } from '../../core/providers/node-transport';
import { claimerName, isClaimerAlive } from '../../core/queue/claimer';
import type { RunOptions, RunReport, RunStatus } from '../../core/queue/run-options';
import { DEFAULT_RUN_OPTIONS, runBatch } from '../../core/queue/runner';
import { batchCounts, releaseAbandonedClaims, requeueFailed } from '../../core/queue/store';
import { positiveInteger } from '../args';
import { EXIT, noPositionals, requireBatch, type Context } from '../context';
import type { Output } from '../io';

export async function run({ db, credentials, log, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  // The failed items get a new round in the same batch (their attempts so far stay recorded).
  const requeued = values['retry-failed'] ? requeueFailed(db, batchId) : undefined;
  if (requeued !== undefined) log.info('failed items requeued', { batch: batchId, requeued });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // --max-wait: how long to keep waiting while offline before giving up cleanly (items stay queued).
  const maxWaitMs = values['max-wait'] === undefined ? undefined : positiveInteger(values['max-wait'], 'max-wait', 0) * 1000;
  const waits = waitNotices(db, batchId, maxWaitMs, abort);
  const logging = runLogging(log, batchId);
  try {
    releaseAbandonedClaims(db, Date.now(), isClaimerAlive);
    log.info('batch started', { batch: batchId, ...batchCounts(db, batchId) });
    const report = await runBatch(
      {
        db,
        credentials,
        transport: nodeTransport,
        now: Date.now,
        random: Math.random,
        owner: claimerName('cli'),
        onAnswers: logging.onAnswers,
        onStatus: (status) => {
          logging.onStatus?.(status);
          waits.onStatus(status);
        },
      },
      batchId,
      runOptions(values, abort.signal),
    );
    logReport(log, batchId, report);
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
function runOptions(values: Context['values'], signal: AbortSignal): RunOptions {
  return {
    ...DEFAULT_RUN_OPTIONS,
    concurrency: positiveInteger(values.concurrency, 'concurrency', DEFAULT_RUN_OPTIONS.concurrency),
    chunkSize: positiveInteger(values['chunk-size'], 'chunk-size', DEFAULT_RUN_OPTIONS.chunkSize),
    maxAttempts: positiveInteger(values['max-attempts'], 'max-attempts', DEFAULT_RUN_OPTIONS.maxAttempts),
    signal,
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
function waitNotices(db: Db, batchId: string, maxWaitMs: number | undefined, abort: AbortController): WaitNotices {
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
      const queued = batchCounts(db, batchId).queued;
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

function logReport(log: Log, batchId: string, report: RunReport): void {
  const { counts } = report;
  log.info(waitingCount(counts) === 0 ? 'batch finished' : 'batch stopped sending', {
    batch: batchId,
    ...counts,
    paused: report.paused,
    attention: report.attention.map((held) => held.message),
  });
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
