import type { Db } from "@/db/client";
import type { StaffIdentity } from "@/lib/auth/staff";
import { type GrantVia, verifyProfileGrant } from "@/lib/auth/grant";
import { isInBook } from "@/lib/book/assignments";
import { hasOpenFollowUp } from "@/lib/book/follow-ups";

export type ProfileAccess = { allowed: true; via: GrantVia | "direct" | "book" } | { allowed: false };

/**
 * Associates reach a profile with a lookup grant, or without one when the customer is in their own
 * client book (in their home store) or they have a follow-up about them still to do. Managers and
 * head office may also open one directly (they work from lists). Either way the caller audits the
 * view with `via`.
 */
export function checkProfileAccess(db: Db, secret: string, staff: StaffIdentity, profileId: number, grant: string | null | undefined): ProfileAccess {
  const via = verifyProfileGrant(secret, grant, staff.id, profileId);
  if (via) return { allowed: true, via };
  if (staff.role === "manager" || staff.role === "hq") return { allowed: true, via: "direct" };
  if (isInBook(db, staff, profileId) || hasOpenFollowUp(db, staff.id, profileId)) return { allowed: true, via: "book" };
  return { allowed: false };
}
