import { DueToday } from "@/components/book/due-today";
import { CustomerLookup } from "@/components/lookup/customer-lookup";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { storeToday } from "@/lib/days";
import { listMyFollowUps } from "@/lib/book/follow-ups";

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
