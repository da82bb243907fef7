import { and, count, eq, gt, lt } from "drizzle-orm";
import { type Db, inTransaction } from "@/db/client";
import { signInFailures } from "@/db/schema";

/**
 * Failed password sign-ins, counted in the database so every app process sees the same attempts.
 * Each failure counts against three keys: the address and account together (a device guessing one
 * password), the account from anywhere (guesses spread over many addresses), and the address
 * against any account (one device trying many accounts). The account-wide cap is looser than the
 * pair's, so a stranger cannot lock a colleague out as quickly as they could guess from one device.
 * PINs have their own stricter per-account lockout (lib/auth/pin.ts).
 */
export const PASSWORD_LIMITS = { pair: 5, account: 10, address: 30 } as const;
export const PASSWORD_WINDOW_MS = 15 * 60 * 1000;

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterMs: number };
export type Attempt = { address: string; account: string };

function keysOf({ address, account }: Attempt): { key: string; max: number }[] {
  const who = account.trim().toLowerCase();
  return [
    { key: `pair:${address}|${who}`, max: PASSWORD_LIMITS.pair },
    { key: `account:${who}`, max: PASSWORD_LIMITS.account },
    { key: `address:${address}`, max: PASSWORD_LIMITS.address },
  ];
}

export function checkSignIn(db: Db, attempt: Attempt, now = Date.now()): LimitCheck {
  let retryAfterMs = 0;
  for (const { key, max } of keysOf(attempt)) {
    const since = now - PASSWORD_WINDOW_MS;
    const recent = db
      .select({ n: count() })
      .from(signInFailures)
      .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)))
      .get();
    if (recent && recent.n >= max) {
      // Wait until enough failures leave the window to allow one more try.
      const nth = db
        .select({ at: signInFailures.at })
        .from(signInFailures)
        .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)))
        .orderBy(signInFailures.at)
        .limit(1)
        .offset(recent.n - max)
        .get();
      retryAfterMs = Math.max(retryAfterMs, (nth?.at ?? now) + PASSWORD_WINDOW_MS - now);
    }
  }
  return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
}

export function recordSignInFailure(db: Db, attempt: Attempt, now = Date.now()): void {
  inTransaction(db, () => {
    db.delete(signInFailures)
      .where(lt(signInFailures.at, now - PASSWORD_WINDOW_MS))
      .run();
    db.insert(signInFailures)
      .values(keysOf(attempt).map(({ key }) => ({ key, at: now })))
      .run();
  });
}

/** A right password clears this device's count at that account; the wider counts wear off with time. */
export function recordSignInSuccess(db: Db, attempt: Attempt): void {
  db.delete(signInFailures)
    .where(eq(signInFailures.key, keysOf(attempt)[0].key))
    .run();
}

/**
 * The client's address. X-Forwarded-For is read from the right: each trusted proxy appends the
 * address it saw, so the first entry that is not one of ours is the client; anything further left
 * was written by the client and proves nothing. The server start (scripts/trusted-peer.cjs) replaces
 * the header with the socket's address when the peer is not a trusted proxy.
 */
export function clientAddress(headers: Headers, trustedProxies: readonly string[] = []): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trustedProxies.includes(hops[i])) return hops[i];
  return hops[0] ?? "unknown";
}

export function retryMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
