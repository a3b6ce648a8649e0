/**
 * Drains a batch: claims due items in blocks, sends them with bounded concurrency through each
 * account's provider client at the account's pace, and hands every answer to the group-commit
 * writer. Retryable answers go back to the queue with exponential backoff and full jitter (a 429's
 * Retry-After holds the whole account); an offline account waits without spending attempts and
 * probes with backoff; an account whose key is missing or refused is held, its items left queued,
 * and reported for the clerk. A paused batch stops claiming and lets its requests in flight finish.
 * Claims are fenced: after a pause longer than a heartbeat (a stopped process, a machine asleep) a
 * claim is checked before it is sent, and a result is kept only under the item's current claim.
 * Every write waits out another process's write lock (a large import) for a bounded, reported time.
 *
 * This file is the main loop and how the parts fit; the parts are: claims-buffer.ts (claims and
 * their fencing), request.ts (one request), updates.ts (answers into item updates), senders.ts
 * (client, key and pace per account), offline.ts (unreachable accounts and their probes),
 * writer.ts (group commit, busy database), pace.ts, and run-options.ts (what a run takes and reports).
 */
import { createHttp } from '../providers/http';
import { claimsBuffer, type Claim, type ClaimsBuffer } from './claims-buffer';
import { offlineAccounts, type OfflineAccounts } from './offline';
import { requestSender } from './request';
import { DEFAULT_RUN_OPTIONS, type AccountAttention, type RunnerDeps, type RunOptions, type RunReport } from './run-options';
import { senders } from './senders';
import { batchCounts } from './counts';
import { isPaused, nextDueAt } from './store';
import { resultWriter, whileBusy, type ResultWriter } from './writer';

export {
  DEFAULT_RUN_OPTIONS,
  type AccountAttention,
  type OfflineAccount,
  type RunnerDeps,
  type RunOptions,
  type RunReport,
  type RunStatus,
} from './run-options';

/** How stale the pause flag may be: the clerk sees no difference, and a busy queue skips a read per request. */
const PAUSE_CHECK_MS = 50;

/** A run's parts, made once at its start. */
interface Run {
  deps: RunnerDeps;
  batchId: string;
  options: RunOptions;
  writer: ResultWriter;
  claims: ClaimsBuffer;
  held: Map<string, AccountAttention>;
  offline: OfflineAccounts;
  requests: RequestsInFlight;
  send: (chunk: Claim[]) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  pausedNow: () => boolean;
  unsubscribe: (() => void) | undefined;
}

export async function runBatch(deps: RunnerDeps, batchId: string, options: RunOptions = DEFAULT_RUN_OPTIONS): Promise<RunReport> {
  const run = startRun(deps, batchId, options);
  let paused: boolean;
  try {
    paused = await drain(run);
  } finally {
    run.unsubscribe?.();
    await run.requests.settled();
    run.claims.releaseRest();
  }
  await run.writer.flush();
  return { counts: batchCounts(deps.db, batchId), attention: [...run.held.values()], paused };
}

/** Makes the run's parts and wires them together; subscribes to wake-ups (unsubscribed at the end). */
function startRun(deps: RunnerDeps, batchId: string, options: RunOptions): Run {
  const { db, now } = deps;
  let databaseBusySince: number | null = null;
  const busy = whileBusy({
    limitMs: options.busyLimitMs,
    now,
    onChange: (since) => {
      databaseBusySince = since;
      report();
    },
  });
  const writer = resultWriter(db, busy, () => deps.onProgress?.());
  const held = new Map<string, AccountAttention>();
  const offline = offlineAccounts(options, now, () => report());
  const report = () => deps.onStatus?.({ offline: offline.list(), ...(databaseBusySince === null ? {} : { databaseBusySince }) });
  const { sleep, interrupt } = sleeper(options.signal);
  const unsubscribe = deps.onWake?.(() => {
    offline.probeAllNow();
    interrupt();
  });
  const excluded = () => {
    const at = now();
    return [...held.keys(), ...offline.waiting(at)];
  };
  const claims = claimsBuffer({ db, writer, batchId, owner: deps.owner, now, excluded, options });
  const http = createHttp(deps.transport, options.timeoutMs);
  const senderFor = senders({ db, credentials: deps.credentials, http, now, sleep, options });
  const send = requestSender({ db, deps, options, senderFor, claims, writer, busy, offline, held });
  const pausedNow = pauseCheck(deps, batchId);
  return {
    deps,
    batchId,
    options,
    writer,
    claims,
    held,
    offline,
    requests: requestsInFlight(),
    send,
    sleep,
    pausedNow,
    unsubscribe,
  };
}

/**
 * The main loop: keeps `concurrency` requests going while there are claims, then writes what is
 * gathered and sleeps until an item or an offline account's probe is due. True if the batch was paused.
 */
async function drain(run: Run): Promise<boolean> {
  const { options, writer, requests } = run;
  const { signal } = options;
  let paused = false;
  while (!signal?.aborted) {
    writer.check();
    if (run.pausedNow()) {
      paused = true;
      break;
    }
    await startRequests(run);
    if (requests.size > 0) {
      await requests.slotFreed();
      requests.throwIfFailed();
      continue;
    }
    await writer.flush();
    const dueAt = nextDueTime(run);
    if (dueAt === null) break;
    await run.sleep(Math.max(0, dueAt - run.deps.now()));
  }
  await requests.all();
  requests.throwIfFailed();
  return paused;
}

/** Starts requests until every slot is taken or there is nothing more to claim. */
async function startRequests(run: Run): Promise<void> {
  const { options, claims, requests } = run;
  while (requests.size < options.concurrency && !options.signal?.aborted) {
    if (claims.size === 0) await claims.refill();
    const chunk = claims.nextChunk();
    if (chunk.length === 0) break;
    requests.start(run.send(chunk));
  }
}

/** When the next item, or the next probe of an offline account, is due; null when nothing is left. */
function nextDueTime(run: Run): number | null {
  const { deps, batchId, held, offline } = run;
  const due = [nextDueAt(deps.db, batchId, [...held.keys(), ...offline.accountIds()]), ...offline.probeTimes()].filter(
    (at): at is number => at !== null,
  );
  return due.length === 0 ? null : Math.min(...due);
}

// The pause flag lives in the database (the app and the CLI share it). Reading it is a read
// transaction, so it is read at most every PAUSE_CHECK_MS, not on every request.
function pauseCheck({ db }: RunnerDeps, batchId: string): () => boolean {
  let checkedAt = -Infinity;
  return () => {
    const at = performance.now();
    if (at - checkedAt < PAUSE_CHECK_MS) return false;
    checkedAt = at;
    return isPaused(db, batchId);
  };
}

interface RequestsInFlight {
  readonly size: number;
  start(request: Promise<void>): void;
  /** Resolves when a request ends (a slot is free). */
  slotFreed(): Promise<void>;
  /** What made a request fail (the database refused a write): the run stops with the first one. */
  throwIfFailed(): void;
  all(): Promise<unknown>;
  settled(): Promise<unknown>;
}

function requestsInFlight(): RequestsInFlight {
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  const failures: unknown[] = [];
  return {
    get size() {
      return inFlight.size;
    },
    start(request) {
      const tracked: Promise<void> = request
        .catch((error: unknown) => void failures.push(error))
        .finally(() => {
          inFlight.delete(tracked);
          const waiting = wake;
          wake = null;
          waiting?.();
        });
      inFlight.add(tracked);
    },
    slotFreed: () => new Promise<void>((resolve) => (wake = resolve)),
    throwIfFailed() {
      if (failures.length) throw failures[0];
    },
    all: () => Promise.all(inFlight),
    settled: () => Promise.allSettled(inFlight),
  };
}

/** The run's sleep: ends early when the run is stopped, or on `interrupt` (the machine woke). */
function sleeper(signal: AbortSignal | undefined) {
  let interrupt: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      interrupt = done;
    });
  return { sleep, interrupt: () => interrupt?.() };
}
