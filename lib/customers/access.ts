import type { StaffIdentity } from "@/lib/auth/staff";
import { type GrantVia, verifyProfileGrant } from "@/lib/auth/grant";

export type ProfileAccess = { allowed: true; via: GrantVia | "direct" } | { allowed: false };

/**
 * Associates reach a profile only with a lookup grant; managers and head office may also open one
 * directly (they work from lists). Either way the caller audits the view with `via`.
 */
export function checkProfileAccess(secret: string, staff: StaffIdentity, profileId: number, grant: string | null | undefined): ProfileAccess {
  const via = verifyProfileGrant(secret, grant, staff.id, profileId);
  if (via) return { allowed: true, via };
  if (staff.role === "manager" || staff.role === "hq") return { allowed: true, via: "direct" };
  return { allowed: false };
}
