import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { auth } from "./auth";
import { type StaffIdentity, activeStaff } from "./staff";

/** The signed-in staff member, re-read from the database once per request; null when signed out or disabled. */
export const currentStaff = cache(async (): Promise<StaffIdentity | null> => {
  const session = await auth();
  const staffId = session?.user?.staffId;
  if (typeof staffId !== "number") return null;
  return activeStaff(getDb(), staffId);
});

/** For pages: signed-out visitors go to sign-in, the wrong role gets the 403 page. */
export async function requireStaff(roles?: readonly Role[]): Promise<StaffIdentity> {
  const staff = await currentStaff();
  if (!staff) redirect("/sign-in");
  if (roles && !roles.includes(staff.role)) forbidden();
  return staff;
}
