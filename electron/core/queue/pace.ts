/**
 * An account's pace: a token bucket that lets `burst` requests go at once and then `perMinute`
 * a minute, shared by all of the account's concurrent requests.
 */
export interface Pace {
  /** Resolves when one more request may go. */
  take(): Promise<void>;
}

export function tokenBucket(perMinute: number, burst: number, now: () => number, sleep: (ms: number) => Promise<void>): Pace {
  const perMs = perMinute / 60_000;
  const capacity = Math.max(1, burst);
  let tokens = capacity;
  let updated = now();
  let turn: Promise<void> = Promise.resolve();
  return {
    take() {
      // One caller at a time, so concurrent requests queue for tokens in order.
      turn = turn.then(async () => {
        for (;;) {
          const at = now();
          tokens = Math.min(capacity, tokens + (at - updated) * perMs);
          updated = at;
          if (tokens >= 1) {
            tokens -= 1;
            return;
          }
          await sleep(Math.ceil((1 - tokens) / perMs));
        }
      });
      return turn;
    },
  };
}
