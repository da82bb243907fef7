/**
 * Token buckets per caller, in memory: each holds up to `capacity` requests and refills at
 * `perSecond`. One app server per SQLite file, so one process sees every request.
 */
export class RateLimiter {
  private readonly buckets = new Map<string | number, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes a token for `caller`: null when allowed, else the whole seconds to wait before the next one. */
  take(caller: string | number): number | null {
    const now = this.clock();
    const bucket = this.buckets.get(caller) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(caller, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}
