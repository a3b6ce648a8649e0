/**
 * Group commit for results: updates from many concurrent requests are gathered and written in one
 * transaction, so `synchronous=FULL` costs one disk sync per group rather than per item. Items stay
 * in flight in the database until their group is written.
 *
 * A sync blocks the process, requests included, so groups are spaced by how long the last write
 * took: about 3% of the time goes to syncing, whatever the disk's speed.
 *
 * Another process may hold the write lock longer than SQLite's busy timeout (a large import, the
 * app and the CLI sharing the file): the runner's writes then wait it out, for a bounded time and
 * saying so, rather than stopping the run with "database is locked".
 */
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { recordResults, type ItemUpdate } from './store';

export interface ResultWriter {
  add(updates: readonly ItemUpdate[]): void;
  /** Writes everything gathered so far; throws the write error, if any. */
  flush(): Promise<void>;
  /** Runs `work` (a claim) in the same transaction as the results gathered so far: one sync for both. */
  writeWith<T>(work: () => T): Promise<T>;
  /** Throws the write error, if any: nothing more may be sent whose result could not be stored. */
  check(): void;
}

export interface WriterOptions {
  /** Shortest wait between groups. */
  minDelayMs: number;
  /** Longest wait between groups, however slow the disk. */
  maxDelayMs: number;
  /** Waits this many times the last write's duration (32: about 3% of the time spent writing). */
  delayPerWriteMs: number;
  /** A group this large is written at once. */
  maxPending: number;
}

const DEFAULTS: WriterOptions = { minDelayMs: 10, maxDelayMs: 250, delayPerWriteMs: 32, maxPending: 500 };

/** Runs a write (or work that writes), waiting while another connection holds the write lock. */
export type WhileBusy = <T>(work: () => T | Promise<T>) => Promise<T>;

export interface BusyOptions {
  /** How long writes may wait for another connection's lock in all before the run stops. */
  limitMs: number;
  now: () => number;
  /** Told when writes start waiting (since when) and when one goes through again (null). */
  onChange: (since: number | null) => void;
}

/**
 * Pause between tries: each try already waits the connection's busy timeout inside SQLite, blocking
 * the process; the pause lets answers of requests in flight be read in between.
 */
const BUSY_RETRY_MS = 50;

/** SQLite's answer when the write lock stayed taken past the busy timeout. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * While one write waits out a busy database, the others wait for it rather than each blocking the
 * process for a busy timeout of their own.
 */
export function whileBusy(options: BusyOptions): WhileBusy {
  let waiting: Promise<void> | null = null;
  /** Once the limit is reached the run stops: later writes that find the lock taken do not wait it out again. */
  let gaveUp: AppError | null = null;
  return async <T>(work: () => T | Promise<T>): Promise<T> => {
    while (waiting) await waiting;
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (gaveUp) throw gaveUp;
    }
    const since = options.now();
    let done!: () => void;
    waiting = new Promise<void>((resolve) => (done = resolve));
    options.onChange(since);
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
        try {
          return await work();
        } catch (error) {
          if (!isBusy(error)) throw error;
          const waited = options.now() - since;
          if (waited >= options.limitMs) {
            throw (gaveUp = new AppError(
              'database_unavailable',
              `Another program kept the data file locked for ${Math.round(waited / 1000)} s, so results could not be saved. The items still in flight go back to the queue when the app or the CLI next starts.`,
            ));
          }
        }
      }
    } finally {
      waiting = null;
      options.onChange(null);
      done();
    }
  };
}

export function resultWriter(db: Db, busy: WhileBusy, onWritten: () => void, options: WriterOptions = DEFAULTS): ResultWriter {
  let pending: ItemUpdate[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  let delayMs = options.minDelayMs;

  /** One try; on failure the group goes back to the front of what waits, nothing is lost from memory. */
  const write = <T>(work?: () => T): T | undefined => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const group = pending;
    pending = [];
    if (group.length === 0) return work?.();
    const started = performance.now();
    let result: T | undefined;
    try {
      result = db
        .transaction(() => {
          recordResults(db, group);
          return work?.();
        })
        .immediate();
    } catch (error) {
      pending = group.concat(pending);
      throw error;
    }
    const took = performance.now() - started;
    delayMs = Math.min(options.maxDelayMs, Math.max(options.minDelayMs, took * options.delayPerWriteMs));
    onWritten();
    return result;
  };

  // The items stay in flight in the database if their group cannot be written: a restart returns them to the queue.
  const writeNow = () => void busy(() => write()).catch((error: unknown) => (failure ??= error));

  return {
    add(updates) {
      pending.push(...updates);
      if (pending.length >= options.maxPending) writeNow();
      else timer ??= setTimeout(writeNow, delayMs);
    },
    async flush() {
      await busy(() => write());
      this.check();
    },
    writeWith(work) {
      return busy(() => write(work) as ReturnType<typeof work>);
    },
    check() {
      if (failure !== undefined) throw failure;
    },
  };
}
