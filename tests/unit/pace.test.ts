import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../electron/core/queue/pace';

/** A clock that moves only when the bucket sleeps, so the pace is measured exactly. */
function fakeClock() {
  let time = 0;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

describe('an account’s pace', () => {
  it('lets a burst go at once, then keeps to the rate (Sendcloud: 15 at once, then 100 a minute)', async () => {
    const clock = fakeClock();
    const pace = tokenBucket(100, 15, clock.now, clock.sleep);
    const sentAt: number[] = [];
    await Promise.all(Array.from({ length: 115 }, () => pace.take().then(() => sentAt.push(clock.now()))));
    expect(sentAt.slice(0, 15).every((t) => t === 0)).toBe(true);
    // The other 100 need one minute at 100 a minute: never faster.
    expect(sentAt.at(-1)).toBeGreaterThanOrEqual(60_000);
    expect(sentAt.at(-1)).toBeLessThan(60_000 + 1000);
    for (let i = 15; i < sentAt.length; i++) expect((sentAt[i] ?? 0) - (sentAt[i - 1] ?? 0)).toBeGreaterThanOrEqual(599);
    // In any 60 s window, at most burst + rate requests.
    for (const start of sentAt) expect(sentAt.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(115);
  });
});
