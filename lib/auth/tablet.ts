import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A shared store tablet: once someone from a store signs in with a password on a device, that
 * device may unlock by PIN for the store's associates for a shift. The cookie names the store and
 * expires; it carries no customer data and grants nothing by itself.
 */
export const TABLET_COOKIE = "clientele-tablet";
export const TABLET_TTL_MS = 12 * 60 * 60 * 1000;
const UNLOCK_TOKEN_TTL_MS = 60 * 1000;

function mac(secret: string, purpose: string, payload: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${payload}`).digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function issueTabletCookie(secret: string, storeId: number, now = Date.now()): string {
  const payload = `${storeId}.${now + TABLET_TTL_MS}`;
  return `${payload}.${mac(secret, "tablet", payload)}`;
}

export function verifyTabletCookie(secret: string, value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const [store, expires, signature] = value.split(".");
  const payload = `${store}.${expires}`;
  if (!signature || !same(signature, mac(secret, "tablet", payload)) || Number(expires) < now) return null;
  return Number(store);
}

/** Proof, for the sign-in provider, that the unlock action has just checked this staff member's PIN. */
export function issueUnlockToken(secret: string, staffId: number, now = Date.now()): string {
  const payload = `${staffId}.${now + UNLOCK_TOKEN_TTL_MS}`;
  return `${payload}.${mac(secret, "unlock", payload)}`;
}

export function verifyUnlockToken(secret: string, token: string, now = Date.now()): number | null {
  const [staffId, expires, signature] = token.split(".");
  const payload = `${staffId}.${expires}`;
  if (!signature || !same(signature, mac(secret, "unlock", payload)) || Number(expires) < now) return null;
  return Number(staffId);
}
