import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { env } from "@/lib/env";
import { auth } from "./auth";
import { TABLET_COOKIE, verifyTabletCookie } from "./tablet";
import { type StaffIdentity, activeStaff } from "./staff";

/** The signed-in staff member, re-read from the database once per request; null when signed out or disabled. */
export const currentStaff = cache(async (): Promise<StaffIdentity | null> => {
  const session = await auth();
  const staffId = session?.user?.staffId;
  if (typeof staffId !== "number") return null;
  return activeStaff(getDb(), staffId);
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
