import type { Db } from "@/db/client";
import type { StaffIdentity } from "@/lib/auth/staff";
import { type GrantVia, verifyProfileGrant } from "@/lib/auth/grant";
import { isInBook } from "@/lib/book/assignments";
import { hasOpenFollowUp } from "@/lib/book/follow-ups";
import { isStoreCustomer } from "@/lib/lists/query";
import { resolveProfileId } from "./profile";

export type ProfileAccess = { allowed: true; via: GrantVia | "direct" | "book" } | { allowed: false };

/**
 * Associates reach a profile with a lookup grant, or without one when the customer is in their own
 * client book (in their home store) or they have a follow-up about them still to do. Managers may
 * also open their own store's customers directly (bought there or assigned to its staff: the store's
 * customer list), head office any customer. Either way the caller audits the view with `via`.
 */
export function checkProfileAccess(db: Db, secret: string, staff: StaffIdentity, profileId: number, grant: string | null | undefined): ProfileAccess {
  const via = verifyProfileGrant(secret, grant, staff.id, profileId);
  if (via) return { allowed: true, via };
  if (staff.role === "hq") return { allowed: true, via: "direct" };
  if (staff.role === "manager" && staff.storeId !== null && isStoreCustomer(db, staff.storeId, survivorOf(db, profileId)))
    return { allowed: true, via: "direct" };
  if (staff.role === "associate" && (isInBook(db, staff, profileId) || hasOpenFollowUp(db, staff.id, profileId))) return { allowed: true, via: "book" };
  return { allowed: false };
}

/** A merged-away ID belongs to the store's customer it was folded into: old links and bookmarks keep working. */
export function survivorOf(db: Db, profileId: number): number {
  const resolved = resolveProfileId(db, profileId);
  return resolved.kind === "missing" ? profileId : resolved.profileId;
}
