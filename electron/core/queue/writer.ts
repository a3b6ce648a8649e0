/**
 * Group commit for results: updates from many concurrent requests are gathered and written in one
 * transaction, so `synchronous=FULL` costs one disk sync per group rather than per item. Items stay
 * in flight in the database until their group is written.
 *
 * A sync blocks the process, requests included, so groups are spaced by how long the last write
 * took: about 3% of the time goes to syncing, whatever the disk's speed.
 */
import type { Db } from '../db/open';
import { recordResults, type ItemUpdate } from './store';

export interface ResultWriter {
  add(updates: readonly ItemUpdate[]): void;
  /** Writes everything gathered so far; throws the write error, if any. */
  flush(): void;
  /** Runs `work` (a claim) in the same transaction as the results gathered so far: one sync for both. */
  writeWith<T>(work: () => T): T;
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

export function resultWriter(db: Db, onWritten: () => void, options: WriterOptions = DEFAULTS): ResultWriter {
  let pending: ItemUpdate[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  let delayMs = options.minDelayMs;

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
      // The items stay in flight in the database: a restart returns them to the queue.
      failure ??= error;
      if (work) throw error;
      return undefined;
    }
    const took = performance.now() - started;
    delayMs = Math.min(options.maxDelayMs, Math.max(options.minDelayMs, took * options.delayPerWriteMs));
    onWritten();
    return result;
  };

  return {
    add(updates) {
      pending.push(...updates);
      if (pending.length >= options.maxPending) write();
      else timer ??= setTimeout(() => write(), delayMs);
    },
    flush() {
      write();
      this.check();
    },
    writeWith(work) {
      return write(work) as ReturnType<typeof work>;
    },
    check() {
      if (failure !== undefined) throw failure;
    },
  };
}
