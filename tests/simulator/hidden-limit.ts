// A rate limit the carrier does not publish, for measuring the automatic pace: a token bucket over the
// simulator's write requests (every method but GET, HEAD and OPTIONS) that lets `burst` go at once and then
// `perSecond`, and answers the rest 429 with `Retry-After` (whole seconds until the next token, at least 1).
// A refused request changes nothing at the provider.

export interface HiddenLimitOptions {
  perSecond: number;
  burst: number;
}

export class HiddenLimit {
  private options: HiddenLimitOptions | undefined;
  private tokens = 0;
  private updatedAt = 0;
  /** Write requests refused since the limit was set. */
  refused = 0;

  /** Sets the limit with a full bucket, or takes it away (undefined). */
  set(options: HiddenLimitOptions | undefined, now = performance.now()): void {
    if (options !== undefined && !(options.perSecond > 0 && options.burst >= 1)) {
      throw new RangeError(`A hidden limit needs perSecond > 0 and burst ≥ 1, got ${JSON.stringify(options)}`);
    }
    this.options = options;
    this.tokens = options?.burst ?? 0;
    this.updatedAt = now;
    this.refused = 0;
  }

  /** Takes a token for a request arriving now: undefined when it may pass, else the Retry-After in seconds. */
  admit(method: string, now = performance.now()): number | undefined {
    const options = this.options;
    if (options === undefined || method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
    this.tokens = Math.min(options.burst, this.tokens + ((now - this.updatedAt) / 1000) * options.perSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    this.refused += 1;
    return Math.max(1, Math.ceil((1 - this.tokens) / options.perSecond));
  }
}
