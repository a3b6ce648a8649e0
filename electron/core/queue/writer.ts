/**
 * Group commit for results: updates from many concurrent requests are gathered for a few
 * milliseconds and written in one transaction, so `synchronous=FULL` costs one disk sync per
 * group rather than per item. Items stay in flight in the database until their group is written.
 */
import type { Db } from '../db/open';
import { recordResults, type ItemUpdate } from './store';

export interface ResultWriter {
  add(updates: readonly ItemUpdate[]): void;
  /** Writes everything gathered so far; throws the write error, if any. */
  flush(): void;
  /** Throws the write error, if any: nothing more may be sent whose result could not be stored. */
  check(): void;
}

export function resultWriter(db: Db, onWritten: () => void, delayMs = 10, maxPending = 500): ResultWriter {
  let pending: ItemUpdate[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    try {
      recordResults(db, group);
    } catch (error) {
      // The items stay in flight in the database: a restart returns them to the queue.
      failure ??= error;
      return;
    }
    onWritten();
  };

  return {
    add(updates) {
      pending.push(...updates);
      if (pending.length >= maxPending) write();
      else timer ??= setTimeout(write, delayMs);
    },
    flush() {
      write();
      this.check();
    },
    check() {
      if (failure !== undefined) throw failure;
    },
  };
}
