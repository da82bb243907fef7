import { forbidden, notFound, redirect } from "next/navigation";
import { ProfileHeader } from "@/components/profile/profile-header";
import { PurchaseHistory } from "@/components/profile/purchase-history";
import { getDb } from "@/db/server";
import { issueProfileGrant } from "@/lib/auth/grant";
import { requireStaff } from "@/lib/auth/session";
import { writeAudit } from "@/lib/audit/audit";
import { checkProfileAccess } from "@/lib/customers/access";
import { getProfileSummary, getPurchaseHistory, resolveProfileId } from "@/lib/customers/profile";
import { env } from "@/lib/env";

export const metadata = { title: "Customer" };

export default async function CustomerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ g?: string }> }) {
  const staff = await requireStaff();
  const [{ id: rawId }, { g: grant }] = await Promise.all([params, searchParams]);
  const id = Number(rawId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const secret = env().AUTH_SECRET;
  const access = checkProfileAccess(secret, staff, id, grant);
  if (!access.allowed) forbidden();
  const db = getDb();
  const resolved = resolveProfileId(db, id);
  if (resolved.kind === "missing") notFound();
  if (resolved.kind === "redirect") {
    const survivor = resolved.profileId;
    redirect(access.via === "direct" ? `/customers/${survivor}` : `/customers/${survivor}?g=${issueProfileGrant(secret, staff.id, survivor, access.via)}`);
  }
  const profile = getProfileSummary(db, id);
  if (!profile) notFound();
  const firstPage = getPurchaseHistory(db, id, null);
  writeAudit(db, { staffId: staff.id, storeId: staff.storeId, action: "profile.view", profileId: id, detail: { via: access.via } });
  return (
    <div className="flex flex-col gap-5">
      <ProfileHeader profile={profile} />
      <PurchaseHistory profileId={id} grant={grant ?? null} firstPage={firstPage} />
    </div>
  );
}
