/**
 * An account's pace, kept in the database so the app and the CLI share it: a token bucket that
 * lets `burst` requests go at once and then the account's pace a minute, a hold (a 429's
 * Retry-After) that stops every request of the account until it ends, and the automatic pace
 * itself (pace-rule.ts): each process reports its answers, and the pace they lead to is stored for all.
 */
import type { BatchSummary } from '../../../shared/contract';
import type { Db } from '../db/open';
import {
  STARTING,
  WINDOW_ANSWERS,
  WINDOW_MS,
  afterWindow,
  fallen,
  startingPace,
  usualLatency,
  within,
  type PaceLimits,
  type PaceSignal,
  type PaceState,
} from './pace-rule';

export interface Pace {
  /** Resolves when one more request of this account may go. */
  take(): Promise<void>;
  /** Sends nothing for this account before `until` (epoch ms). */
  holdUntil(until: number): void;
  /** What a request sent at `sentAt` and answered at `at` said: the pace rises or falls with it. */
  observe(answer: { sentAt: number; at: number; signal: PaceSignal; why: string }): void;
}

export interface PaceOptions {
  /** The automatic pace's limits; null for no pace at all (holds still apply). */
  limits: PaceLimits | null;
  burst: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** How stale another process's hold may be when there is no rate to keep. */
export const HOLD_CHECK_MS = 50;
/** An account that sent nothing for this long starts again from its usual pace. */
export const PACE_MEMORY_MS = 10 * 60_000;

interface PaceRow {
  tokens: number;
  updated_at: number;
  hold_until: number;
  per_minute: number | null;
  pushback_per_minute: number | null;
  reason: string | null;
  changed_at: number | null;
}

export function accountPace(db: Db, accountId: string, options: PaceOptions): Pace {
  const { limits } = options;
  if (!limits) return holdsOnly(db, accountId, options);
  const store = paceStore(db, accountId, limits, options.burst);
  const observer = windowObserver(store, limits, options.now);
  // Tokens taken from the shared bucket and not spent yet: a fast pace takes a few at a time, so a
  // request costs a write transaction only now and then (~150 µs each on a busy machine).
  let allowance = 0;
  return {
    async take() {
      for (;;) {
        if (allowance > 0) {
          allowance -= 1;
          return;
        }
        const { wait, granted } = store.reserve(options.now());
        if (wait <= 0) {
          allowance = granted - 1;
          return;
        }
        observer.waited();
        await options.sleep(wait);
      }
    },
    holdUntil(until) {
      allowance = 0;
      store.hold(options.now(), until);
    },
    observe: (answer) => observer.observe(answer),
  };
}

/** A reservation takes at most this long's worth of tokens at the account's pace (and what the bucket holds). */
export const RESERVE_MS = 20;

/** The account's row: its bucket and hold, and its pace as the rule moves it, each read and written in one short transaction. */
function paceStore(db: Db, accountId: string, limits: PaceLimits, burst: number) {
  const capacity = Math.max(1, burst);
  const read = db.prepare(
    'SELECT tokens, updated_at, hold_until, per_minute, pushback_per_minute, reason, changed_at FROM account_pace WHERE account_id = ?',
  );
  const writeTokens = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
  );
  const writePace = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at, per_minute, pushback_per_minute, reason, changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET per_minute = excluded.per_minute,
       pushback_per_minute = excluded.pushback_per_minute, reason = excluded.reason, changed_at = excluded.changed_at`,
  );
  const writeHold = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at, hold_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET hold_until = MAX(hold_until, excluded.hold_until)`,
  );
  const stateOf = (row: PaceRow | undefined, at: number): PaceState & { changedAt: number; fresh: boolean } => {
    // A pace not used for a while (or never) starts again from the account's usual pace.
    if (!row || row.per_minute === null || at - row.updated_at > PACE_MEMORY_MS) {
      return { ...startingPace(limits), changedAt: at, fresh: true };
    }
    return {
      perMinute: within(limits, row.per_minute),
      pushbackPerMinute: row.pushback_per_minute,
      reason: row.reason ?? STARTING,
      changedAt: row.changed_at ?? at,
      fresh: false,
    };
  };
  /** Takes up to RESERVE_MS worth of whole tokens, at least one; or says how long to wait for one. */
  const reserve = db.transaction((at: number): { wait: number; granted: number } => {
    const row = read.get(accountId) as PaceRow | undefined;
    if (row && row.hold_until > at) return { wait: row.hold_until - at, granted: 0 };
    const state = stateOf(row, at);
    // The clerk sees the pace from the first request on.
    if (state.fresh) writePace.run(accountId, capacity, at, state.perMinute, null, state.reason, at);
    const perMs = state.perMinute / 60_000;
    const tokens = Math.min(capacity, row ? row.tokens + Math.max(0, at - row.updated_at) * perMs : capacity);
    if (tokens >= 1) {
      const granted = Math.max(1, Math.min(Math.floor(tokens), Math.floor(perMs * RESERVE_MS)));
      writeTokens.run(accountId, tokens - granted, at);
      return { wait: 0, granted };
    }
    writeTokens.run(accountId, tokens, at);
    return { wait: Math.ceil((1 - tokens) / perMs), granted: 0 };
  });
  /** Applies `change` to the pace as stored now (another process may have moved it) and stores the result. */
  const move = db.transaction((at: number, change: (state: PaceState, changedAt: number) => PaceState | null) => {
    const row = read.get(accountId) as PaceRow | undefined;
    const current = stateOf(row, at);
    const next = change(current, current.changedAt);
    if (!next) return;
    writePace.run(
      accountId,
      row?.tokens ?? capacity,
      row?.updated_at ?? at,
      next.perMinute,
      next.pushbackPerMinute,
      next.reason,
      at,
    );
  });
  return {
    reserve: (at: number) => unsynced(db, () => reserve.immediate(at)),
    move: (at: number, change: (state: PaceState, changedAt: number) => PaceState | null) =>
      unsynced(db, () => move.immediate(at, change)),
    hold: (at: number, until: number) => writeHold.run(accountId, capacity, at, until),
  };
}

type PaceStore = ReturnType<typeof paceStore>;

/**
 * A pace's writes skip the disk sync: losing the last of them in a crash costs at most a burst,
 * and a sync per request (0.3–0.8 ms here, blocking the process) costs more than the request's own
 * work. In WAL mode a commit with synchronous=NORMAL is still safe against the process crashing.
 */
function unsynced<T>(db: Db, work: () => T): T {
  const level = db.pragma('synchronous', { simple: true }) as number;
  if (level < 2) return work();
  db.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    db.pragma(`synchronous = ${level === 3 ? 'EXTRA' : 'FULL'}`);
  }
}

/**
 * This process's answers, a window at a time: a pushback makes the pace fall at once (once for the
 * requests sent before it: they were sent at the old pace), a window's end lets it rise or fall.
 */
function windowObserver(store: PaceStore, limits: PaceLimits, now: () => number) {
  let window = { startedAt: now(), answers: 0, latencyMs: 0, troubled: false, paceLimited: false };
  let usualMs: number | null = null;
  let fellAt = -Infinity;
  const restart = (at: number) => (window = { startedAt: at, answers: 0, latencyMs: 0, troubled: false, paceLimited: false });
  const closeWindow = (at: number) => {
    const stats = { ...window, meanLatencyMs: window.latencyMs / window.answers };
    let fell = false;
    store.move(at, (state, changedAt) => {
      const next = afterWindow(state, stats, usualMs, limits, at - changedAt);
      fell = next !== null && next.perMinute < state.perMinute;
      return next;
    });
    usualMs = usualLatency(usualMs, stats, fell);
    if (fell) fellAt = at;
    restart(at);
  };
  return {
    waited: () => void (window.paceLimited = true),
    observe({ sentAt, at, signal, why }: { sentAt: number; at: number; signal: PaceSignal; why: string }) {
      if (signal === 'rate_limited' || signal === 'unavailable') {
        if (sentAt < fellAt) return;
        fellAt = at;
        store.move(at, (state) => fallen(state, limits, why));
        restart(at);
        return;
      }
      window.answers += 1;
      window.latencyMs += at - sentAt;
      window.troubled ||= signal === 'troubled';
      if (at - window.startedAt >= WINDOW_MS && window.answers >= WINDOW_ANSWERS) closeWindow(at);
    },
  };
}

/** No pace to keep (measuring the app's own speed): only the holds count. */
function holdsOnly(db: Db, accountId: string, { now, sleep }: PaceOptions): Pace {
  const readHold = db.prepare('SELECT hold_until FROM account_pace WHERE account_id = ?');
  const hold = db.prepare(
    `INSERT INTO account_pace (account_id, tokens, updated_at, hold_until) VALUES (?, 1, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET hold_until = MAX(hold_until, excluded.hold_until)`,
  );
  // Another process's hold is read at most every HOLD_CHECK_MS (a read transaction per request
  // costs more than the request's own work); this one's holds count at once.
  let knownHold = 0;
  let holdReadAt = -Infinity;
  const holdLeft = (at: number): number => {
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
      for (let wait = holdLeft(now()); wait > 0; wait = holdLeft(now())) await sleep(wait);
    },
    holdUntil(until) {
      knownHold = Math.max(knownHold, until);
      hold.run(accountId, now(), until);
    },
    observe: () => undefined,
  };
}

/**
 * The paces the clerk sees for a batch: those of the accounts that still have items of this batch to
 * send (the last pace of each, while it waits), and why each is what it is.
 */
export function batchPaces(db: Db, batchId: string): BatchSummary['paces'] {
  const rows = db
    .prepare(
      `SELECT a.name AS accountName, p.per_minute AS perMinute, p.reason AS reason, p.changed_at AS changedAt
       FROM account_pace p JOIN accounts a ON a.id = p.account_id
       WHERE p.per_minute IS NOT NULL
         AND EXISTS (SELECT 1 FROM items i WHERE i.account_key = a.key AND i.batch_key = (SELECT key FROM batches WHERE id = ?)
                       AND i.state IN ('queued', 'in_flight'))
       ORDER BY a.name`,
    )
    .all(batchId) as { accountName: string; perMinute: number; reason: string; changedAt: number }[];
  return rows.map((row) => ({
    accountName: row.accountName,
    perMinute: Math.round(row.perMinute),
    reason: row.reason,
    since: new Date(row.changedAt).toISOString(),
  }));
}
