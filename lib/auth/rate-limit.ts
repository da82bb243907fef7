/**
 * Failed password sign-ins per client address and account, in memory: caps guesses from one
 * device at one account without letting a stranger lock a colleague out from elsewhere. (PINs
 * have their own stricter per-account lockout in the database, lib/auth/pin.ts.)
 * Memory is bounded: past maxKeys the oldest keys are forgotten. One process only: a cluster of
 * servers would need a shared store.
 */
export type LimiterOptions = { maxFailures: number; windowMs: number; maxKeys?: number };
export type LimitCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly options: LimiterOptions) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  check(key: string, now = Date.now()): LimitCheck {
    const times = this.recent(key, now);
    if (times.length < this.options.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterMs: times[times.length - this.options.maxFailures] + this.options.windowMs - now };
  }

  fail(key: string, now = Date.now()): void {
    const times = this.recent(key, now);
    this.failures.delete(key);
    this.failures.set(key, [...times, now]);
    const max = this.options.maxKeys ?? 10_000;
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= max) break;
      this.failures.delete(oldest);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

export const PASSWORD_LIMIT: LimiterOptions = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

/**
 * The sign-in form's action and the auth route may load this module separately: the limiter
 * lives on globalThis so both count the same attempts.
 */
const shared = globalThis as typeof globalThis & { __clientelePasswordLimiter?: FailureLimiter };
export const passwordLimiter = (shared.__clientelePasswordLimiter ??= new FailureLimiter(PASSWORD_LIMIT));

/** The client's address as the server saw it (Next sets x-forwarded-for from the socket when no proxy did). */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

export const attemptKey = (address: string, account: string | number) => `${address}|${String(account).trim().toLowerCase()}`;

export function retryMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many failed attempts from this device. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
