import { describe, expect, it } from "vitest";
import { FailureLimiter, attemptKey, clientAddress, retryMessage } from "./rate-limit";

describe("FailureLimiter", () => {
  const options = { maxFailures: 3, windowMs: 60_000 };

  it("blocks an address at an account after too many failures, until the oldest leaves the window", () => {
    const limiter = new FailureLimiter(options);
    const key = attemptKey("10.0.0.1", "Sam@Example.com");
    for (const t of [0, 10_000, 20_000]) {
      expect(limiter.check(key, t).allowed).toBe(true);
      limiter.fail(key, t);
    }
    expect(limiter.check(key, 30_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limiter.check(key, 59_999).allowed).toBe(false);
    expect(limiter.check(key, 60_001).allowed).toBe(true);
  });

  it("keeps addresses and accounts apart, and a success clears the count", () => {
    const limiter = new FailureLimiter(options);
    const key = attemptKey("10.0.0.1", "sam@example.com");
    for (let i = 0; i < 3; i++) limiter.fail(key, 0);
    expect(limiter.check(key, 1).allowed).toBe(false);
    expect(limiter.check(attemptKey("10.0.0.2", "sam@example.com"), 1).allowed).toBe(true);
    expect(limiter.check(attemptKey("10.0.0.1", "morgan@example.com"), 1).allowed).toBe(true);
    // Case and spaces in the typed email do not make a fresh key.
    expect(limiter.check(attemptKey("10.0.0.1", " SAM@example.com "), 1).allowed).toBe(false);
    limiter.succeed(key);
    expect(limiter.check(key, 2).allowed).toBe(true);
  });

  it("forgets the oldest keys past its memory bound", () => {
    const limiter = new FailureLimiter({ ...options, maxKeys: 2 });
    for (const k of ["a", "b", "c"]) for (let i = 0; i < 3; i++) limiter.fail(k, 0);
    expect(["a", "b", "c"].map((k) => limiter.check(k, 1).allowed)).toEqual([true, false, false]);
  });

  it("reads the first forwarded address and says how long to wait", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientAddress(new Headers())).toBe("unknown");
    expect(retryMessage(61_000)).toBe("Too many failed attempts from this device. Try again in 2 minutes.");
    expect(retryMessage(5_000)).toMatch(/in 1 minute\.$/);
  });
});
