import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../electron/core/accounts';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { createBatch } from '../../electron/core/queue/batch-writes';
import { HOLD_CHECK_MS, PACE_MEMORY_MS, accountPace, batchPaces, type Pace } from '../../electron/core/queue/pace';
import { PROBE_AFTER_MS, type PaceLimits, type PaceSignal } from '../../electron/core/queue/pace-rule';
import { paceBurst, paceLimits } from '../../electron/core/queue/senders';
import { tempDir } from '../support/fixtures';

/** A clock that moves only when someone sleeps (or a request is answered), so the pace is measured exactly. */
function fakeClock() {
  let time = 1_000_000;
  return { now: () => time, sleep: async (ms: number) => void (time += ms), pass: (ms: number) => void (time += ms) };
}
type Clock = ReturnType<typeof fakeClock>;

/** A fixed pace: the automatic one with no room to move. */
const fixed = (perMinute: number): PaceLimits => ({
  startPerMinute: perMinute,
  ceilingPerMinute: perMinute,
  ceilingName: 'the account’s ceiling',
  floorPerMinute: perMinute,
});
/** Sorted PRO's today: starts at 600 a minute, may rise to 10×. */
const SORTED: PaceLimits = {
  startPerMinute: 600,
  ceilingPerMinute: 6000,
  ceilingName: 'the account’s ceiling',
  floorPerMinute: 6,
};

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir.path);
  db.prepare(
    "INSERT INTO accounts (id, name, provider, base_url, created_at, updated_at) VALUES ('a', 'A', 'sendcloud', 'https://x', 0, 0)",
  ).run();
});
afterEach(() => {
  db.close();
  dir.remove();
});

const stored = () =>
  db.prepare('SELECT per_minute AS perMinute, reason FROM account_pace WHERE account_id = ?').get('a') as {
    perMinute: number;
    reason: string;
  };

/**
 * Sends `count` requests one after another as fast as the pace lets them, each answered after
 * `latencyMs` with what `answer` says; returns the stored pace after each request.
 */
async function send(pace: Pace, clock: Clock, count: number, answer: (i: number) => { latencyMs: number; signal?: PaceSignal }) {
  const paces: number[] = [];
  for (let i = 0; i < count; i++) {
    await pace.take();
    const sentAt = clock.now();
    const { latencyMs, signal = 'clean' } = answer(i);
    clock.pass(latencyMs);
    pace.observe({ sentAt, at: clock.now(), signal, why: signal });
    paces.push(stored().perMinute);
  }
  return paces;
}

describe('an account’s pace', () => {
  it('lets a burst go at once, then keeps to the rate (Sendcloud: 15 at once, then 100 a minute)', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: fixed(100), burst: 15, ...clock });
    const sentAt: number[] = [];
    for (let i = 0; i < 115; i++) {
      await pace.take();
      sentAt.push(clock.now() - 1_000_000);
    }
    expect(sentAt.slice(0, 15).every((t) => t === 0)).toBe(true);
    expect(sentAt.at(-1)).toBeGreaterThanOrEqual(60_000);
    expect(sentAt.at(-1)).toBeLessThan(61_000);
    for (let i = 16; i < sentAt.length; i++) expect((sentAt[i] ?? 0) - (sentAt[i - 1] ?? 0)).toBeGreaterThanOrEqual(599);
  });

  it('is shared by every process on the database: a second pace for the same account sees the spent tokens', async () => {
    const clock = fakeClock();
    const app = accountPace(db, 'a', { limits: fixed(60), burst: 2, ...clock });
    const cli = accountPace(db, 'a', { limits: fixed(60), burst: 2, ...clock });
    await app.take();
    await cli.take();
    const before = clock.now();
    await app.take(); // the bucket is empty: one more token takes a second at 60 a minute
    expect(clock.now() - before).toBe(1000);
  });

  it('at a fast pace takes a few tokens per write, spent for every other process at once', async () => {
    const clock = fakeClock();
    // 60,000 a minute: 20 ms worth is 20 tokens, more than the bucket's 10.
    const app = accountPace(db, 'a', { limits: fixed(60_000), burst: 10, ...clock });
    await app.take();
    const tokens = () => (db.prepare('SELECT tokens FROM account_pace').get() as { tokens: number }).tokens;
    expect(tokens()).toBe(0);
    for (let i = 0; i < 9; i++) await app.take();
    expect(clock.now()).toBe(1_000_000);
    const cli = accountPace(db, 'a', { limits: fixed(60_000), burst: 10, ...clock });
    await cli.take();
    expect(clock.now()).toBe(1_000_001);
  });

  it('holds every request of the account until a Retry-After ends, even with no pace', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: null, burst: 1, ...clock });
    pace.holdUntil(clock.now() + 5000);
    const before = clock.now();
    await pace.take();
    expect(clock.now() - before).toBe(5000);
  });

  it('with no pace only reads the hold: nothing is written per request, and a hold set by another process still stops it', async () => {
    const clock = fakeClock();
    const app = accountPace(db, 'a', { limits: null, burst: 1, ...clock });
    for (let i = 0; i < 50; i++) await app.take();
    expect(db.prepare('SELECT COUNT(*) AS n FROM account_pace').get()).toEqual({ n: 0 });
    expect(clock.now()).toBe(1_000_000);

    const other = openDatabase(dir.path);
    try {
      accountPace(other, 'a', { limits: null, burst: 1, ...clock }).holdUntil(clock.now() + 3000);
    } finally {
      other.close();
    }
    // Another process's hold is read again once HOLD_CHECK_MS of real time has passed.
    await new Promise((resolve) => setTimeout(resolve, HOLD_CHECK_MS + 20));
    const before = clock.now();
    await app.take();
    expect(clock.now() - before).toBe(3000);
  });
});

describe('the automatic pace', () => {
  it('starts at the account’s usual pace, and the clerk sees it from the first request', async () => {
    const clock = fakeClock();
    await accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock }).take();
    expect(stored()).toEqual({ perMinute: 600, reason: 'Starting at the account’s usual pace.' });
  });

  it('rises while answers stay clean and fast and the pace holds the run back, up to the ceiling and never over it', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    const paces = await send(pace, clock, 3000, () => ({ latencyMs: 1 }));
    expect(paces[0]).toBe(600);
    const steps = [...new Set(paces)];
    expect(steps.length).toBeGreaterThan(3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1] ?? Infinity);
    expect(Math.max(...paces)).toBe(6000);
    expect(stored().reason).toBe('At the account’s ceiling (6,000 a minute): answers are clean and fast.');
  });

  it('does not rise when the pace is not what holds the run back (slow answers one at a time)', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    // One at a time at 200 ms: 300 a minute, under the pace of 600: nothing waits for the pace.
    const paces = await send(pace, clock, 100, () => ({ latencyMs: 200 }));
    expect(new Set(paces)).toEqual(new Set([600]));
  });

  it.each(['rate_limited', 'unavailable'] as const)(
    'falls at once on %s, then rises only to just under where the carrier pushed back',
    async (signal) => {
      const clock = fakeClock();
      const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
      const before = await send(pace, clock, 300, () => ({ latencyMs: 1 }));
      const top = before.at(-1) ?? 0;
      expect(top).toBeGreaterThan(600);
      const [fallen] = await send(pace, clock, 1, () => ({ latencyMs: 1, signal }));
      expect(fallen).toBe(top * 0.6);
      expect(stored().reason).toBe(`Slowed to ${Math.round(top * 0.6).toLocaleString('en')} a minute: ${signal}.`);
      // Until PROBE_AFTER_MS passes at the top, rises stop short of where the carrier pushed back.
      const after = await send(pace, clock, 1000, () => ({ latencyMs: 1 }));
      expect(Math.max(...after)).toBeLessThan(top);
      expect(Math.max(...after)).toBeGreaterThanOrEqual(top * 0.9);
    },
  );

  it('falls once for a pushback, not again for the requests sent before it', async () => {
    const clock = fakeClock();
    const pushback = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    await pushback.take();
    const sentAt = clock.now();
    clock.pass(5);
    pushback.observe({ sentAt, at: clock.now(), signal: 'rate_limited', why: '429' });
    pushback.observe({ sentAt, at: clock.now() + 1, signal: 'rate_limited', why: '429' });
    expect(stored().perMinute).toBe(360);
  });

  it('falls when answers slow down, and takes a lastingly slower carrier as its new usual', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    const fast = await send(pace, clock, 100, () => ({ latencyMs: 1 }));
    const top = fast.at(-1) ?? 0;
    const slow = await send(pace, clock, 40, () => ({ latencyMs: 40 }));
    expect(slow.at(-1)).toBe(top * 0.6);
    expect(stored().reason).toMatch(/^Slowed to [\d,]+ a minute: answers took \d+ ms, up from 1 ms\.$/);
    // The same slowness again is not a new fall.
    const still = await send(pace, clock, 40, () => ({ latencyMs: 40 }));
    expect(Math.min(...still)).toBe(top * 0.6);
  });

  it('probes above the pushback once it has held there long, so a lifted limit is found', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    const before = await send(pace, clock, 60, () => ({ latencyMs: 1 }));
    const top = before.at(-1) ?? 0;
    expect(top).toBeLessThan(SORTED.ceilingPerMinute);
    await send(pace, clock, 1, () => ({ latencyMs: 1, signal: 'rate_limited' }));
    const count = Math.ceil(((PROBE_AFTER_MS * 2) / 60_000) * top);
    const after = await send(pace, clock, count, () => ({ latencyMs: 1 }));
    expect(Math.max(...after)).toBeGreaterThan(top);
  });

  it('is kept for every process: a pace moved by one is the pace of the other', async () => {
    const clock = fakeClock();
    const app = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    await send(app, clock, 300, () => ({ latencyMs: 1 }));
    const moved = stored().perMinute;
    const other = openDatabase(dir.path);
    try {
      const cli = accountPace(other, 'a', { limits: SORTED, burst: 1, ...clock });
      await cli.take();
      const before = clock.now();
      await cli.take();
      expect(clock.now() - before).toBeLessThanOrEqual(Math.ceil(60_000 / moved));
      expect(moved).toBeGreaterThan(600);
    } finally {
      other.close();
    }
  });

  it('starts again from the usual pace after it went unused for a while', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock });
    await send(pace, clock, 300, () => ({ latencyMs: 1 }));
    expect(stored().perMinute).toBeGreaterThan(600);
    clock.pass(PACE_MEMORY_MS + 1);
    await pace.take();
    expect(stored().perMinute).toBe(600);
  });
});

describe('the paces a batch shows', () => {
  it('are those of the accounts with items of the batch still to send, with why each is what it is', async () => {
    const item = (n: number) => ({
      row: n + 2,
      reference: `ref-${n}`,
      provider: 'sendcloud' as const,
      accountId: 'a',
      action: 'cancel' as const,
      external: null,
    });
    const batch = { sourceName: 'x.csv', action: 'cancel' as const, createdBy: null, machine: null, now: 0 };
    const mine = createBatch(db, { ...batch, items: [item(1)] });
    const other = createBatch(db, { ...batch, items: [] });
    expect(batchPaces(db, mine)).toEqual([]);
    const clock = fakeClock();
    await accountPace(db, 'a', { limits: SORTED, burst: 10, ...clock }).take();
    expect(batchPaces(db, mine)).toEqual([
      {
        accountName: 'A',
        perMinute: 600,
        reason: 'Starting at the account’s usual pace.',
        since: new Date(clock.now()).toISOString(),
      },
    ]);
    expect(batchPaces(db, other)).toEqual([]);
  });
});

describe('an account’s pace limits', () => {
  const account = (provider: Account['provider'], settings: Account['settings'] = {}): Account => ({
    id: 'a',
    name: 'A',
    provider,
    baseUrl: 'https://x',
    settings,
  });

  it('start at the account’s rate and reach 10× it, or the ceiling the account sets', () => {
    expect(paceLimits(account('sorted-pro'))).toMatchObject({ startPerMinute: 600, ceilingPerMinute: 6000 });
    expect(paceLimits(account('electio', { ratePerMinute: 50 }))).toMatchObject({ startPerMinute: 50, ceilingPerMinute: 500 });
    expect(paceLimits(account('sorted-pro', { paceCeilingPerMinute: 900 }))).toMatchObject({
      ceilingPerMinute: 900,
      ceilingName: 'the account’s ceiling',
    });
  });

  it('never go over a published limit, whatever the account sets', async () => {
    const limits = paceLimits(account('sendcloud', { ratePerMinute: 5000, paceCeilingPerMinute: 50_000 }));
    expect(limits).toMatchObject({ ceilingPerMinute: 97, ceilingName: 'just under Sendcloud’s published limit' });
    const burst = paceBurst(account('sendcloud'));
    expect(burst).toBe(12);
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { limits, burst, ...clock });
    const paces = await send(pace, clock, 500, () => ({ latencyMs: 1 }));
    expect(Math.max(...paces)).toBe(97);
    // 12 at once, then 97 a minute: 500 requests take at least (500 − 12) × 60/97 s.
    expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual((488 * 60_000) / 97);
  });
});
