import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "@/db/client";
import { tempDatabase } from "@/lib/test/factories";
import { PASSWORD_LIMITS, PASSWORD_WINDOW_MS, checkSignIn, clientAddress, recordSignInFailure, recordSignInSuccess, retryMessage } from "./rate-limit";

let db: Db;
let file: string;
let cleanup: () => void;
beforeEach(() => ({ db, file, cleanup } = tempDatabase()));
afterEach(() => cleanup());

const fail = (address: string, account: string, n: number, at = 0) => {
  for (let i = 0; i < n; i++) recordSignInFailure(db, { address, account }, at);
};

describe("password sign-in limits", () => {
  it("blocks one address at one account after five failures, until the oldest leaves the window", () => {
    for (const t of [0, 10_000, 20_000, 30_000, 40_000]) {
      expect(checkSignIn(db, { address: "10.0.0.1", account: "sam@example.com" }, t).allowed).toBe(true);
      recordSignInFailure(db, { address: "10.0.0.1", account: "Sam@Example.com " }, t);
    }
    expect(checkSignIn(db, { address: "10.0.0.1", account: "sam@example.com" }, 50_000)).toEqual({ allowed: false, retryAfterMs: PASSWORD_WINDOW_MS - 50_000 });
    expect(checkSignIn(db, { address: "10.0.0.1", account: "sam@example.com" }, PASSWORD_WINDOW_MS + 1).allowed).toBe(true);
  });

  it("blocks an account guessed from many addresses, and an address trying many accounts", () => {
    for (let i = 0; i < PASSWORD_LIMITS.account; i++) fail(`203.0.113.${i}`, "sam@example.com", 1);
    expect(checkSignIn(db, { address: "198.51.100.1", account: "sam@example.com" }, 1).allowed).toBe(false);
    expect(checkSignIn(db, { address: "198.51.100.1", account: "morgan@example.com" }, 1).allowed).toBe(true);
    for (let i = 0; i < PASSWORD_LIMITS.address; i++) fail("198.51.100.9", `user${i}@example.com`, 1);
    expect(checkSignIn(db, { address: "198.51.100.9", account: "fresh@example.com" }, 1).allowed).toBe(false);
  });

  it("counts in the database, so a second process sees the first one's failures", () => {
    fail("10.0.0.1", "sam@example.com", PASSWORD_LIMITS.pair);
    const other = openDatabase(file);
    try {
      expect(checkSignIn(other, { address: "10.0.0.1", account: "sam@example.com" }, 1).allowed).toBe(false);
    } finally {
      other.$client.close();
    }
  });

  it("a right password clears that device's count at that account", () => {
    fail("10.0.0.1", "sam@example.com", PASSWORD_LIMITS.pair);
    recordSignInSuccess(db, { address: "10.0.0.1", account: "sam@example.com" });
    expect(checkSignIn(db, { address: "10.0.0.1", account: "sam@example.com" }, 1).allowed).toBe(true);
  });
});

describe("the client's address", () => {
  it("believes X-Forwarded-For only as far as the trusted proxies wrote it", () => {
    const spoofed = new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.2" });
    expect(clientAddress(spoofed, ["10.0.0.2"])).toBe("203.0.113.7");
    expect(clientAddress(spoofed, [])).toBe("10.0.0.2");
    expect(clientAddress(new Headers())).toBe("unknown");
  });

  it("says how long to wait", () => {
    expect(retryMessage(61_000)).toBe("Too many failed attempts. Try again in 2 minutes.");
    expect(retryMessage(5_000)).toMatch(/in 1 minute\.$/);
  });
});
