/**
 * The batch supervisor: runs batches in this process and alone keeps what only a running process
 * knows of them (which batches send, which accounts are offline or need the clerk's attention, why
 * sending stopped, e.g. the database refusing writes), and emits the events that report it: the
 * window learns of progress from these events alone, so every change of a batch is reported (start,
 * pause, resume, stop and retry, each answered with the batch's summary too; the last progress of a
 * burst; and, while a batch sends, a quiet moment, so its rate and what holds it up stay current).
 *
 * Why one file of ~330 lines: every function here reads or writes the one `Runs` record (what this
 * process knows of its running batches); split, that record would have to travel through a module
 * boundary with every detail exposed. The parts that need no `Runs` live beside it: progress.ts
 * (throttled events), estimate.ts (time left), queue/summary.ts (the read model).
 */
import type { BatchSummary, EventName, EventPayload } from '../../../shared/contract';
import { waitingCount, type RetryScope } from '../../../shared/domain';
import { runLogging } from '../activity';
import type { CredentialStore } from '../credentials/store';
import { databaseError, type Db } from '../db/open';
import { describeError, isAppError } from '../errors';
import type { Log } from '../log';
import type { Transport } from '../providers/http';
import { isClaimerAlive } from '../queue/claimer';
import {
  DEFAULT_RUN_OPTIONS,
  runBatch,
  type AccountAttention,
  type RunnerDeps,
  type RunOptions,
  type RunReport,
  type RunStatus,
} from '../queue/runner';
import { batchesWaiting, isPaused, releaseAbandonedClaims, requeueFailed, setPaused, stopQueued } from '../queue/store';
import { batchSummary, sendingItems, type LiveState } from '../queue/summary';
import { batchLanes, timeLeftEstimator, type TimeLeftEstimator } from './estimate';
import { progressReporter, type ProgressReporter } from './progress';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface SupervisorDeps {
  db: Db;
  credentials: CredentialStore;
  transport: Transport;
  owner: string;
  now: () => number;
  random: () => number;
  runOptions?: Partial<RunOptions> | undefined;
  log: Log;
}

export interface BatchSupervisor {
  /** The batch as the clerk sees it; not_found when there is no such batch. */
  summary(batchId: string): BatchSummary;
  /** Starts sending the batch (nothing if it already sends). */
  start(batchId: string): BatchSummary;
  /** Stops claiming new items; resolves once the items in flight are done. */
  pause(batchId: string): Promise<BatchSummary>;
  resume(batchId: string): BatchSummary;
  /** Items not sent yet end stopped and are never sent. */
  stop(batchId: string): Promise<BatchSummary>;
  /** Failed items (all, or those that may still work) get a new round of attempts, and the batch sends again. */
  retryFailed(batchId: string, scope?: RetryScope): Promise<BatchSummary>;
  /**
   * Sends the batch here until it stops sending, for a caller that waits for the end (the CLI):
   * resolves with the run's report once the end is logged and reported, or rejects with what
   * stopped sending (a full disk, …). With `requeueFailed`, every failed item first gets a new round.
   */
  runToEnd(batchId: string, watch: RunWatch): Promise<{ report: RunReport; requeued?: number }>;
  isRunning(batchId: string): boolean;
  /** Whether any batch sends in this process. */
  sending(): boolean;
  /** The accounts offline in any running batch, by name. */
  offlineAccounts(): Map<string, { since: number; message: string }>;
  onEvent(listener: EventListener): () => void;
  /** Starts every batch that still has items waiting and is not paused (after a restart or a crash). */
  resumeWaiting(): void;
  /** The machine woke up: offline accounts probe at once. */
  wake(): void;
  /** Items being sent right now, for a warning before quitting. */
  sendingCount(): number;
  /** Waits for every running batch to stop sending. */
  close(): Promise<void>;
}

/** What a caller that waits for a run's end may give it. */
export interface RunWatch {
  /** Aborting it stops claiming; the items in flight finish and keep their answers. */
  signal?: AbortSignal;
  /** Hears each change of what holds the run up (offline accounts, a busy data file). */
  onStatus?: (status: RunStatus) => void;
  requeueFailed?: boolean;
}

/** A batch sending in this process: `done` once its end is logged and reported. */
interface Run {
  report: Promise<RunReport>;
  done: Promise<void>;
  abort: AbortController;
  progress: ProgressReporter;
  /** Requests to providers under way ("sending now"), and the batch's time left. */
  requests: { inFlight: number };
  estimator: TimeLeftEstimator;
}

/** The batches this process runs, and what it knows of each while (and after) it runs. */
interface Runs {
  deps: SupervisorDeps;
  running: Map<string, Run>;
  offline: Map<string, RunStatus['offline']>;
  attention: Map<string, AccountAttention[]>;
  problems: Map<string, string>;
  wakeListeners: Set<() => void>;
  listeners: Set<EventListener>;
  emit: EventListener;
  summary(batchId: string): BatchSummary;
  /** Emits the batch's summary as progress and answers with it: after each of the clerk's controls. */
  reported(batchId: string): BatchSummary;
  /** Emits the batch's summary as progress, when anyone listens (the CLI does not: it waits for the end). */
  announce(batchId: string): void;
}

export function createSupervisor(deps: SupervisorDeps): BatchSupervisor {
  const { db, now } = deps;
  const runs = createRuns(deps);
  const { running, summary, reported } = runs;
  releaseAbandonedClaims(db, now(), isClaimerAlive);
  return {
    summary,
    start(batchId) {
      summary(batchId);
      startRun(runs, batchId);
      return reported(batchId);
    },
    async pause(batchId) {
      summary(batchId);
      setPaused(db, batchId, true);
      await running.get(batchId)?.done;
      return reported(batchId);
    },
    resume(batchId) {
      summary(batchId);
      setPaused(db, batchId, false);
      startRun(runs, batchId);
      return reported(batchId);
    },
    async stop(batchId) {
      summary(batchId);
      setPaused(db, batchId, true);
      await running.get(batchId)?.done;
      stopQueued(db, batchId, now());
      setPaused(db, batchId, false);
      return reported(batchId);
    },
    async retryFailed(batchId, scope = 'all') {
      summary(batchId);
      await running.get(batchId)?.done;
      requeueFailed(db, batchId, scope);
      setPaused(db, batchId, false);
      startRun(runs, batchId);
      return reported(batchId);
    },
    async runToEnd(batchId, watch) {
      summary(batchId);
      const requeued = watch.requeueFailed ? requeueFailed(db, batchId) : undefined;
      if (requeued !== undefined) deps.log.info('failed items requeued', { batch: batchId, requeued });
      const run = startRun(runs, batchId, watch);
      await run.done;
      return { report: await run.report, ...(requeued === undefined ? {} : { requeued }) };
    },
    isRunning: (batchId) => running.has(batchId),
    sending: () => running.size > 0,
    offlineAccounts: () =>
      new Map([...runs.offline.values()].flat().map(({ accountName, since, message }) => [accountName, { since, message }])),
    onEvent(listener) {
      runs.listeners.add(listener);
      return () => runs.listeners.delete(listener);
    },
    resumeWaiting() {
      for (const batchId of batchesWaiting(db)) {
        startRun(runs, batchId);
        reported(batchId);
      }
    },
    wake() {
      for (const listener of runs.wakeListeners) listener();
    },
    sendingCount: () => (running.size === 0 ? 0 : sendingItems(db)),
    async close() {
      for (const run of running.values()) run.abort.abort();
      await Promise.all([...running.values()].map((run) => run.done));
    },
  };
}

function createRuns(deps: SupervisorDeps): Runs {
  const runs: Runs = {
    deps,
    running: new Map(),
    offline: new Map(),
    attention: new Map(),
    problems: new Map(),
    wakeListeners: new Set(),
    listeners: new Set(),
    emit: (event, payload) => {
      for (const listener of runs.listeners) listener(event, payload);
    },
    summary: (batchId) => batchSummary(deps.db, batchId, live(runs, batchId)),
    reported: (batchId) => {
      const summary = runs.summary(batchId);
      runs.emit('batch.progress', summary);
      return summary;
    },
    announce: (batchId) => {
      if (runs.listeners.size > 0) runs.emit('batch.progress', runs.summary(batchId));
    },
  };
  return runs;
}

/** What only this process knows of the batch, as the summary shows it. */
function live({ deps, running, offline, attention, problems }: Runs, batchId: string): LiveState {
  const run = running.get(batchId);
  const options = { ...DEFAULT_RUN_OPTIONS, ...deps.runOptions };
  const sending = run !== undefined && !isPaused(deps.db, batchId);
  return {
    running: run !== undefined,
    requestsInFlight: run?.requests.inFlight ?? 0,
    timeLeft: sending
      ? run.estimator.estimate(batchLanes(deps.db, batchId, options.chunkSize, options.pacing), deps.now())
      : null,
    offline: (offline.get(batchId) ?? []).map(({ accountName, since, message }) => ({
      accountName,
      since: new Date(since).toISOString(),
      message,
    })),
    attention: (attention.get(batchId) ?? []).map(({ accountName, message }) => ({ accountName, message })),
    problem: problems.get(batchId) ?? null,
  };
}

/** Starts sending the batch in this process, unless it already sends. */
function startRun(runs: Runs, batchId: string, watch: RunWatch = {}): Run {
  const { deps, running, attention, problems } = runs;
  const current = running.get(batchId);
  if (current) return current;
  const abort = new AbortController();
  if (watch.signal?.aborted) abort.abort();
  watch.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  attention.delete(batchId);
  problems.delete(batchId);
  deps.log.info('batch started', { batch: batchId, ...runs.summary(batchId).counts });
  const progress = progressReporter(deps.now, () => runs.announce(batchId));
  const requests = { inFlight: 0 };
  const report = runBatch(runnerDeps(runs, batchId, progress, watch.onStatus, requests), batchId, {
    ...DEFAULT_RUN_OPTIONS,
    ...deps.runOptions,
    signal: abort.signal,
  });
  const done = report
    .then(
      (report) => attention.set(batchId, report.attention),
      (error: unknown) => problems.set(batchId, `Sending stopped: ${plainError(deps.db, error)}`),
    )
    .then(() => ended(runs, batchId));
  const run = { report, done, abort, progress, requests, estimator: timeLeftEstimator() };
  running.set(batchId, run);
  return run;
}

/** The runner's view of this process: progress and status become events, and a wake-up reaches it. */
function runnerDeps(
  runs: Runs,
  batchId: string,
  progress: ProgressReporter,
  onStatus: RunWatch['onStatus'],
  requests: { inFlight: number },
): RunnerDeps {
  const { deps } = runs;
  const { now } = deps;
  const logging = runLogging(deps.log, batchId);
  return {
    db: deps.db,
    credentials: deps.credentials,
    // Counted as they go and come back: "sending now" is requests under way, not items claimed.
    transport: async (request, signal) => {
      requests.inFlight += 1;
      try {
        return await deps.transport(request, signal);
      } finally {
        requests.inFlight -= 1;
      }
    },
    now,
    random: deps.random,
    owner: deps.owner,
    onProgress: () => progress.changed(),
    onAnswers: logging.onAnswers,
    onStatus: (status) => {
      logging.onStatus?.(status);
      runs.offline.set(batchId, status.offline);
      onStatus?.(status);
      runs.announce(batchId);
    },
    onWake: (listener) => {
      runs.wakeListeners.add(listener);
      return () => runs.wakeListeners.delete(listener);
    },
  };
}

/** The run has ended (done, paused, stopped or failed): log and report how it left the batch. */
function ended(runs: Runs, batchId: string): void {
  runs.running.get(batchId)?.progress.stop();
  runs.running.delete(batchId);
  runs.offline.delete(batchId);
  const last = runs.summary(batchId);
  const finished = waitingCount(last.counts) === 0;
  runs.deps.log[last.problem ? 'error' : 'info'](finished ? 'batch finished' : 'batch stopped sending', {
    batch: batchId,
    ...last.counts,
    paused: last.paused,
    attention: last.attention.map((held) => held.message),
    problem: last.problem ?? undefined,
  });
  runs.emit('batch.progress', last);
  if (finished) runs.emit('batch.finished', last);
}

/** A sentence for why sending stopped: the database's own words for SQLite failures (disk full, …). */
function plainError(db: Db, error: unknown): string {
  if (isAppError(error)) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return databaseError(db.name, error).message;
  return describeError(error);
}
