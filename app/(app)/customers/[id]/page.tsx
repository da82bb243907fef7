import { forbidden, notFound, redirect } from "next/navigation";
import { type ReactNode, Suspense } from "react";
import { MergeHistory } from "@/components/duplicates/merge-history";

import { FollowUpsPanel } from "@/components/book/follow-ups-panel";
import { LookedAfterPanel } from "@/components/book/looked-after-panel";
import { ConsentsPanel } from "@/components/profile/consents-panel";
import { NotesPanel } from "@/components/profile/notes-panel";
import { PreferencesPanel } from "@/components/profile/preferences-panel";
import { ProfileHeader } from "@/components/profile/profile-header";
import { AfterPaint } from "@/components/ui/after-paint";
import { PurchaseHistory } from "@/components/profile/purchase-history";
import { SuggestionsSection } from "@/components/suggest/suggestions-section";
import { withDb } from "@/lib/actions/app-db";
import { issueProfileGrant } from "@/lib/auth/grant";
import { requireStaff } from "@/lib/actions/session";
import { writeAuditSoon } from "@/lib/audit/deferred";
import { consentHistory } from "@/lib/customers/consent";
import { profileBook } from "@/lib/book/profile-context";
import { checkProfileAccess } from "@/lib/customers/access";
import { listNotes, listPreferences, listTags } from "@/lib/customers/clienteling";
import { getProfileSummary, getPurchaseHistory, listCategories, resolveProfileId } from "@/lib/customers/profile";
import { env } from "@/env";
import { mergeHistory, recordJoins, splitChoices } from "@/lib/identity/merge";
import { isErased } from "@/lib/privacy/suppression";
import { sourceLabels } from "@/lib/identity/settings";
import { idFromPath } from "@/lib/validate";

export const metadata = { title: "Customer" };

export default async function CustomerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ g?: string }> }) {
  const staff = await requireStaff();
  const [{ id: rawId }, { g: grant }] = await Promise.all([params, searchParams]);
  const id = idFromPath(rawId);
  if (id === null) notFound();
  const secret = env().AUTH_SECRET;
  const access = withDb(checkProfileAccess, secret, staff, id, grant);
  if (!access.allowed) forbidden();
  const resolved = withDb(resolveProfileId, id);
  if (resolved.kind === "missing") notFound();
  if (resolved.kind === "redirect") {
    const survivor = resolved.profileId;
    redirect(
      access.via === "direct" || access.via === "book"
        ? `/customers/${survivor}`
        : `/customers/${survivor}?g=${issueProfileGrant(secret, staff.id, survivor, access.via)}`,
    );
  }
  const profile = withDb(getProfileSummary, id);
  // An erased customer's profile only carries anonymous sales now: there is nobody to show.
  if (!profile || withDb(isErased, id)) notFound();
  const firstPage = withDb(getPurchaseHistory, id, null);
  withDb(writeAuditSoon, { staffId: staff.id, storeId: staff.storeId, action: "profile.view", profileId: id, detail: { via: access.via } });
  const g = grant ?? null;
  const detailsPending = <Pending label="Loading customer details…" />;

  // The name and the purchases go out first; the side panels stream in after them and are drawn
  // once the name and purchases have been, and the suggestions are asked for by the browser once
  // the page is on screen.
  return (
    <div className="flex flex-col gap-5">
      <ProfileHeader profile={profile} />
      <div className="grid gap-5 min-[900px]:grid-cols-[1fr_340px]">
        <div className="flex min-w-0 flex-col gap-5">
          <SuggestionsSection profileId={id} grant={g} />
          <PurchaseHistory profileId={id} grant={g} firstPage={firstPage} />
        </div>
        <aside className="flex flex-col gap-5" aria-label="Customer details">
          <AfterPaint fallback={detailsPending}>
            <Suspense fallback={detailsPending}>
              <AfterFirstPaint>
                {() => {
                  const book = withDb(profileBook, staff, id);
                  const merges = staff.role === "associate" ? [] : withDb(mergeHistory, id);
                  const joins = staff.role === "associate" ? [] : withDb(recordJoins, id);
                  return (
                    <>
                      <LookedAfterPanel profileId={id} entries={book.lookedAfter} associates={book.associates} canManage={staff.role !== "associate"} />
                      <FollowUpsPanel profileId={id} grant={g} items={book.followUps} targets={book.targets} />
                      <ConsentsPanel
                        profileId={id}
                        grant={g}
                        initial={profile.consents}
                        initialHistory={withDb(consentHistory, id)}
                        sourceLabels={withDb(sourceLabels)}
                      />
                      <PreferencesPanel
                        profileId={id}
                        grant={g}
                        categories={withDb(listCategories)}
                        initialPreferences={withDb(listPreferences, id)}
                        initialTags={withDb(listTags, id)}
                      />
                      <NotesPanel profileId={id} grant={g} staffId={staff.id} initial={withDb(listNotes, id)} />
                      {merges.length + joins.length > 0 && <MergeHistory profileId={id} entries={merges} joins={joins} records={withDb(splitChoices, id)} />}
                    </>
                  );
                }}
              </AfterFirstPaint>
            </Suspense>
          </AfterPaint>
        </aside>
      </div>
    </div>
  );
}

/**
 * Renders its part after React has sent what was ready: the database calls are synchronous, so
 * without yielding first, the part would hold the whole page back until it was done.
 */
async function AfterFirstPaint({ children }: { children: () => ReactNode }) {
  await new Promise((resolve) => setImmediate(resolve));
  return children();
}

function Pending({ label }: { label: string }) {
  return (
    <p role="status" className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
      {label}
    </p>
  );
}
