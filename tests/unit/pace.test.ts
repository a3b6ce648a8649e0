import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { HOLD_CHECK_MS, accountPace } from '../../electron/core/queue/pace';
import { tempDir } from '../support/fixtures';

/** A clock that moves only when someone sleeps, so the pace is measured exactly. */
function fakeClock() {
  let time = 1_000_000;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

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

describe('an account’s pace', () => {
  it('lets a burst go at once, then keeps to the rate (Sendcloud: 15 at once, then 100 a minute)', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { perMinute: 100, burst: 15, ...clock });
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
    const app = accountPace(db, 'a', { perMinute: 60, burst: 2, ...clock });
    const cli = accountPace(db, 'a', { perMinute: 60, burst: 2, ...clock });
    await app.take();
    await cli.take();
    const before = clock.now();
    await app.take(); // the bucket is empty: one more token takes a second at 60 a minute
    expect(clock.now() - before).toBe(1000);
  });

  it('holds every request of the account until a Retry-After ends, even with no rate limit', async () => {
    const clock = fakeClock();
    const pace = accountPace(db, 'a', { perMinute: Infinity, burst: 1, ...clock });
    pace.holdUntil(clock.now() + 5000);
    const before = clock.now();
    await pace.take();
    expect(clock.now() - before).toBe(5000);
  });
  it('with no rate limit only reads the hold: nothing is written per request, and a hold set by another process still stops it', async () => {
    const clock = fakeClock();
    const app = accountPace(db, 'a', { perMinute: Infinity, burst: 1, ...clock });
    for (let i = 0; i < 50; i++) await app.take();
    expect(db.prepare('SELECT COUNT(*) AS n FROM account_pace').get()).toEqual({ n: 0 });
    expect(clock.now()).toBe(1_000_000);

    const other = openDatabase(dir.path);
    try {
      accountPace(other, 'a', { perMinute: Infinity, burst: 1, ...clock }).holdUntil(clock.now() + 3000);
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
