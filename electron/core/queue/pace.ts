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

  const holdOnly = (at: number): number => {
    const row = readHold.get(accountId) as { hold_until: number } | undefined;
    return row && row.hold_until > at ? row.hold_until - at : 0;
  };

  return {
    async take() {
      for (;;) {
        // With no rate to keep only the hold matters: a read, no write transaction per request.
        const at = now();
        const wait = Number.isFinite(perMs) ? reserve.immediate(at) : holdOnly(at);
        if (wait <= 0) return;
        await sleep(wait);
      }
    },
    holdUntil(until) {
      hold.run(accountId, capacity, now(), until);
    },
  };
}
