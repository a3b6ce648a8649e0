/**
 * The batch supervisor: runs batches in this process and alone keeps what only a running process
 * knows of them (which batches send, which accounts are offline or need the clerk's attention, why
 * sending stopped, e.g. the database refusing writes), and emits the events that report it. Start,
 * pause, resume, stop and retry go through it; each answers with the batch's summary afterwards.
 */
import type { BatchSummary, EventName, EventPayload } from '../../../shared/contract';
import { waitingCount } from '../../../shared/domain';
import { runLogging } from '../activity';
import type { CredentialStore } from '../credentials/store';
import { databaseError, type Db } from '../db/open';
import { describeError, isAppError } from '../errors';
import type { Log } from '../log';
import type { Transport } from '../providers/http';
import { isClaimerAlive } from '../queue/claimer';
import { DEFAULT_RUN_OPTIONS, runBatch, type AccountAttention, type RunOptions, type RunStatus } from '../queue/runner';
import { batchesWaiting, releaseAbandonedClaims, requeueFailed, setPaused, stopQueued } from '../queue/store';
import { batchSummary, sendingItems, type LiveState } from '../queue/summary';

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
  /** Failed items get a new round of attempts, and the batch sends again. */
  retryFailed(batchId: string): Promise<BatchSummary>;
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

/** Progress events at most this often while a batch sends. */
const PROGRESS_EVERY_MS = 100;

export function createSupervisor(deps: SupervisorDeps): BatchSupervisor {
  const { db, log, now } = deps;
  const listeners = new Set<EventListener>();
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const offline = new Map<string, RunStatus['offline']>();
  const attention = new Map<string, AccountAttention[]>();
  const problems = new Map<string, string>();
  const wakeListeners = new Set<() => void>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  releaseAbandonedClaims(db, now(), isClaimerAlive);

  const live = (batchId: string): LiveState => ({
    running: running.has(batchId),
    offline: (offline.get(batchId) ?? []).map(({ accountName, since, message }) => ({
      accountName,
      since: new Date(since).toISOString(),
      message,
    })),
    attention: (attention.get(batchId) ?? []).map(({ accountName, message }) => ({ accountName, message })),
    problem: problems.get(batchId) ?? null,
  });
  const summary = (batchId: string): BatchSummary => batchSummary(db, batchId, live(batchId));

  /** The run has ended (done, paused, stopped or failed): report how it left the batch. */
  const ended = (batchId: string) => {
    running.delete(batchId);
    offline.delete(batchId);
    const last = summary(batchId);
    const finished = waitingCount(last.counts) === 0;
    log[last.problem ? 'error' : 'info'](finished ? 'batch finished' : 'batch stopped sending', {
      batch: batchId,
      ...last.counts,
      paused: last.paused,
      attention: last.attention.map((held) => held.message),
      problem: last.problem ?? undefined,
    });
    emit('batch.progress', last);
    if (finished) emit('batch.finished', last);
  };

  const startRun = (batchId: string) => {
    if (running.has(batchId)) return;
    const abort = new AbortController();
    attention.delete(batchId);
    problems.delete(batchId);
    let last = 0;
    const progress = () => {
      if (now() - last < PROGRESS_EVERY_MS) return;
      last = now();
      emit('batch.progress', summary(batchId));
    };
    const logging = runLogging(log, batchId);
    log.info('batch started', { batch: batchId, ...summary(batchId).counts });
    const done = runBatch(
      {
        db,
        credentials: deps.credentials,
        transport: deps.transport,
        now,
        random: deps.random,
        owner: deps.owner,
        onProgress: progress,
        onAnswers: logging.onAnswers,
        onStatus: (status) => {
          logging.onStatus?.(status);
          offline.set(batchId, status.offline);
          emit('batch.progress', summary(batchId));
        },
        onWake: (listener) => {
          wakeListeners.add(listener);
          return () => wakeListeners.delete(listener);
        },
      },
      batchId,
      { ...DEFAULT_RUN_OPTIONS, ...deps.runOptions, signal: abort.signal },
    )
      .then(
        (report) => attention.set(batchId, report.attention),
        (error: unknown) => problems.set(batchId, `Sending stopped: ${plainError(db, error)}`),
      )
      .then(() => ended(batchId));
    running.set(batchId, { done, abort });
  };

  return {
    summary,
    start(batchId) {
      summary(batchId);
      startRun(batchId);
      return summary(batchId);
    },
    async pause(batchId) {
      summary(batchId);
      setPaused(db, batchId, true);
      await running.get(batchId)?.done;
      return summary(batchId);
    },
    resume(batchId) {
      summary(batchId);
      setPaused(db, batchId, false);
      startRun(batchId);
      return summary(batchId);
    },
    async stop(batchId) {
      summary(batchId);
      setPaused(db, batchId, true);
      await running.get(batchId)?.done;
      stopQueued(db, batchId, now());
      setPaused(db, batchId, false);
      return summary(batchId);
    },
    async retryFailed(batchId) {
      summary(batchId);
      await running.get(batchId)?.done;
      requeueFailed(db, batchId);
      setPaused(db, batchId, false);
      startRun(batchId);
      return summary(batchId);
    },
    isRunning: (batchId) => running.has(batchId),
    sending: () => running.size > 0,
    offlineAccounts: () =>
      new Map([...offline.values()].flat().map(({ accountName, since, message }) => [accountName, { since, message }])),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resumeWaiting() {
      for (const batchId of batchesWaiting(db)) startRun(batchId);
    },
    wake() {
      for (const listener of wakeListeners) listener();
    },
    sendingCount: () => (running.size === 0 ? 0 : sendingItems(db)),
    async close() {
      for (const run of running.values()) run.abort.abort();
      await Promise.all([...running.values()].map((run) => run.done));
    },
  };
}

/** A sentence for why sending stopped: the database's own words for SQLite failures (disk full, …). */
function plainError(db: Db, error: unknown): string {
  if (isAppError(error)) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return databaseError(db.name, error).message;
  return describeError(error);
}
