import { DueToday } from "@/components/book/due-today";
import { CustomerLookup } from "@/components/lookup/customer-lookup";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { storeToday } from "@/lib/days";
import { listMyFollowUps } from "@/lib/book/follow-ups";
// The profile page's client components load with this page, so Enter on a customer here shows the
// profile without first fetching and running its scripts (they would only be asked for once the
// profile's payload names them).
import "@/components/profile/purchase-history";
import "@/components/suggest/suggestions-section";
import "@/components/book/looked-after-panel";
import "@/components/book/follow-ups-panel";
import "@/components/profile/consents-panel";
import "@/components/profile/preferences-panel";
import "@/components/profile/notes-panel";
import "@/components/duplicates/merge-history";

export const metadata = { title: "Find a customer" };

export default async function LookupPage() {
  const me = await requireStaff();
  const today = storeToday();
  const due = me.role === "associate" ? withDb(listMyFollowUps, me.id, today).due : null;
  return (
    <div className="flex flex-col gap-8">
      <CustomerLookup />
      {due && <DueToday items={due} today={today} />}
    </div>
  );
}
