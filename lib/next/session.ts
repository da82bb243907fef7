import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { env } from "@/env";
import { auth } from "./auth";
import { TABLET_COOKIE, verifyTabletCookie } from "@/lib/auth/tablet";
import { type StaffIdentity, activeStaff } from "@/lib/auth/staff";

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];
const DECODED_TTL_MS = 60_000;
const DECODED_MAX = 5_000;
/**
 * Decrypting the session token costs more than the whole lookup it guards. The token is immutable,
 * so its decoded staff ID is remembered briefly (never past the session's own expiry); whether that
 * staff member is still active is read from the database on every request regardless.
 */
const decoded = new Map<string, { staffId: number; until: number }>();

async function sessionStaffId(): Promise<number | null> {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!token) {
    // A large session is split into chunked cookies: decode it the ordinary way, without the memo.
    const chunked = jar.getAll().some((c) => SESSION_COOKIES.some((name) => c.name.startsWith(`${name}.`)));
    const staffId = chunked ? (await auth())?.user?.staffId : undefined;
    return typeof staffId === "number" ? staffId : null;
  }
  const now = Date.now();
  const hit = decoded.get(token);
  if (hit && hit.until > now) return hit.staffId;
  const session = await auth();
  const staffId = session?.user?.staffId;
  if (typeof staffId !== "number") return null;
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(token, { staffId, until: Math.min(now + DECODED_TTL_MS, Date.parse(session!.expires)) });
  return staffId;
}

/** The signed-in staff member, re-read from the database once per request; null when signed out or disabled. */
export const currentStaff = cache(async (): Promise<StaffIdentity | null> => {
  const staffId = await sessionStaffId();
  return staffId === null ? null : activeStaff(getDb(), staffId);
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
