/**
 * An account's pace, kept in the database so the app and the CLI share it: a token bucket that
 * lets `burst` requests go at once and then `perMinute` a minute, and a hold (a 429's Retry-After)
 * that stops every request of the account until it ends.
 */
import type { Db } from '../db/open';

export interface Pace {
  /** Resolves when one more request of this account may go. */
  take(): Promise<void>;
  /** Sends nothing for this account before `until` (epoch ms). */
  holdUntil(until: number): void;
}

export interface PaceOptions {
  /** Requests per minute; Infinity for no limit (holds still apply). */
  perMinute: number;
  burst: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** How stale another process's hold may be when there is no rate to keep. */
export const HOLD_CHECK_MS = 50;

interface PaceRow {
  tokens: number;
  updated_at: number;
  hold_until: number;
}

export function accountPace(db: Db, accountId: string, options: PaceOptions): Pace {
  const { now, sleep } = options;
  const perMs = options.perMinute / 60_000;
  const capacity = Math.max(1, options.burst);
  const read = db.prepare('SELECT tokens, updated_at, hold_until FROM account_pace WHERE account_id = ?');
  const readHold = db.prepare('SELECT hold_until FROM account_pace WHERE account_id = ?');
  const write = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
  );
  const hold = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at, hold_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET hold_until = MAX(hold_until, excluded.hold_until)`,
  );

  /** Takes a token if there is one; otherwise says how long to wait. One short transaction. */
  const reserve = db.transaction((at: number): number => {
    const row = read.get(accountId) as PaceRow | undefined;
    if (row && row.hold_until > at) return row.hold_until - at;
    const tokens = Math.min(capacity, row ? row.tokens + Math.max(0, at - row.updated_at) * perMs : capacity);
    if (tokens >= 1) {
      write.run(accountId, tokens - 1, at);
      return 0;
    }
    write.run(accountId, tokens, at);
    return Math.ceil((1 - tokens) / perMs);
  });

  // Without a rate only the hold matters. Another process's hold is read at most every
  // HOLD_CHECK_MS (a read transaction per request costs more than the request's own work);
  // this one's holds count at once.
  let knownHold = 0;
  let holdReadAt = -Infinity;
  const holdOnly = (at: number): number => {
    const checkedAt = performance.now();
    if (checkedAt - holdReadAt >= HOLD_CHECK_MS) {
      holdReadAt = checkedAt;
      const row = readHold.get(accountId) as { hold_until: number } | undefined;
      knownHold = Math.max(knownHold, row?.hold_until ?? 0);
    }
    return knownHold > at ? knownHold - at : 0;
  };

  return {
    async take() {
      for (;;) {
        const at = now();
        const wait = Number.isFinite(perMs) ? reserve.immediate(at) : holdOnly(at);
        if (wait <= 0) return;
        await sleep(wait);
      }
    },
    holdUntil(until) {
      knownHold = Math.max(knownHold, until);
      hold.run(accountId, capacity, now(), until);
    },
  };
}
