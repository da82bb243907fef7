import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/server";
import type { Role, SessionEndReason } from "@/db/schema";
import { decode } from "next-auth/jwt";
import { env } from "@/env";
import { TABLET_COOKIE, verifyTabletCookie } from "@/lib/auth/tablet";
import { endSession, sessionStaff } from "@/lib/auth/sessions";
import type { StaffIdentity } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];
const DECODED_TTL_MS = 60_000;
const DECODED_MAX = 5_000;
/**
 * Decrypting the session token costs more than the whole lookup it guards. The token is immutable,
 * so its decoded session ID is remembered briefly (never past the token's own expiry); whether that
 * session is still live and its staff member still active is read from the database on every
 * request regardless.
 */
const decoded = new Map<string, { sessionId: string; until: number }>();

/** The session cookie's value, its chunks joined in order when Auth.js had to split it. */
function sessionCookie(jar: Awaited<ReturnType<typeof cookies>>): { name: string; value: string } | null {
  for (const name of SESSION_COOKIES) {
    const whole = jar.get(name)?.value;
    if (whole) return { name, value: whole };
    const chunks = jar
      .getAll()
      .filter((c) => c.name.startsWith(`${name}.`))
      .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
    if (chunks.length > 0) return { name, value: chunks.map((c) => c.value).join("") };
  }
  return null;
}

/** The server-side session this request's cookie names, live or not. */
async function currentSessionId(): Promise<string | null> {
  const cookie = sessionCookie(await cookies());
  if (!cookie) return null;
  const now = Date.now();
  const hit = decoded.get(cookie.value);
  if (hit && hit.until > now) return hit.sessionId;
  const token = await decode({ token: cookie.value, secret: env().AUTH_SECRET, salt: cookie.name }).catch(() => null);
  const sessionId = typeof token?.sid === "string" ? token.sid : null;
  if (sessionId === null || !token?.exp || token.exp * 1000 <= now) return null;
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(cookie.value, { sessionId, until: Math.min(now + DECODED_TTL_MS, token.exp * 1000) });
  return sessionId;
}

/** Ends this device's server-side session, so a copy of its cookie opens nothing afterwards. */
export async function endCurrentSession(reason: SessionEndReason): Promise<void> {
  const sessionId = await currentSessionId();
  if (sessionId) endSession(getDb(), sessionId, reason);
}

/** The signed-in staff member, read with their session from the database once per request; null when it ended or they were disabled. */
export const currentStaff = cache(async (): Promise<StaffIdentity | null> => {
  const sessionId = await currentSessionId();
  return sessionId === null ? null : sessionStaff(getDb(), sessionId);
});

/** The store whose tablet this device is, if a password sign-in made it one and the shift has not ended. */
export async function tabletStoreId(): Promise<number | null> {
  return verifyTabletCookie(env().AUTH_SECRET, (await cookies()).get(TABLET_COOKIE)?.value);
}

/** For pages: signed-out visitors go to the PIN lock screen on a store tablet, else to sign-in; the wrong role gets 403. */
export async function requireStaff(roles?: readonly Role[]): Promise<StaffIdentity> {
  const staff = await currentStaff();
  if (!staff) redirect((await tabletStoreId()) === null ? "/sign-in" : "/lock");
  if (roles && !roles.includes(staff.role)) forbidden();
  return staff;
}

/** For route handlers: the signed-in staff member; else an error that routeHandler answers as 401, or 403 for the wrong role. */
export async function requireStaffForRoute(roles?: readonly Role[], forbidden?: string): Promise<StaffIdentity> {
  const staff = await currentStaff();
  if (!staff) throw new DomainError("unauthenticated");
  if (roles && !roles.includes(staff.role)) throw new DomainError("forbidden", forbidden);
  return staff;
}
