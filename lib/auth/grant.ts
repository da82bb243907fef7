import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Associates may open a profile only through an exact lookup, never by browsing IDs. The lookup
 * hands out a short-lived grant bound to that staff member and profile; the profile page and its
 * actions accept an associate only with a valid one. It also records how the customer was found.
 */
const GRANT_TTL_MS = 30 * 60 * 1000;
const GRANT_VIA = ["loyalty", "email", "phone", "name", "enrolment", "list"] as const;
export type GrantVia = (typeof GRANT_VIA)[number];

function sign(secret: string, staffId: number, profileId: number, via: string, expiresAt: number): string {
  return createHmac("sha256", secret).update(`${staffId}.${profileId}.${via}.${expiresAt}`).digest("base64url");
}

export function issueProfileGrant(secret: string, staffId: number, profileId: number, via: GrantVia, now = Date.now()): string {
  const expiresAt = now + GRANT_TTL_MS;
  return `${expiresAt}.${via}.${sign(secret, staffId, profileId, via, expiresAt)}`;
}

export function verifyProfileGrant(secret: string, token: string | null | undefined, staffId: number, profileId: number, now = Date.now()): GrantVia | null {
  if (!token) return null;
  const [expires, via, mac] = token.split(".");
  const expiresAt = Number(expires);
  if (!Number.isFinite(expiresAt) || expiresAt < now || !mac || !(GRANT_VIA as readonly string[]).includes(via)) return null;
  const expected = Buffer.from(sign(secret, staffId, profileId, via, expiresAt));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? (via as GrantVia) : null;
}
