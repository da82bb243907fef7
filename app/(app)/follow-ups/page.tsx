import Link from "next/link";
import { FollowUpItem } from "@/components/book/follow-up-item";
import { StorePicker } from "@/components/book/store-picker";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { storeToday } from "@/lib/days";
import { listMyFollowUps, listStoreFollowUps } from "@/lib/book/follow-ups";
import { listStoreNames } from "@/lib/stores/stores";
import { HeadingRow } from "@/components/ui/heading-row";

export const metadata = { title: "Follow-ups" };

const empty = "rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200";

export default async function FollowUpsPage({ searchParams }: { searchParams: Promise<{ store?: string }> }) {
  const me = await requireStaff();
  const today = storeToday();
  if (me.role === "associate") {
    const { due, snoozed } = withDb(listMyFollowUps, me.id, today);
    const overdue = due.filter((f) => f.overdue).length;
    return (
      <section aria-labelledby="follow-ups-heading" className="flex flex-col gap-4">
        <h1 id="follow-ups-heading" className="text-2xl font-bold">
          My follow-ups
        </h1>
        <p className="text-stone-600">
          {due.length === 0 ? "Nothing due. " : `${due.length} to do${overdue ? `, ${overdue} overdue` : ""}. `}
          Only contact customers the way each follow-up says: it was checked against their consent.
        </p>
        {due.length === 0 ? (
          <p className={empty}>No follow-ups to do.</p>
        ) : (
          <ul className="flex flex-col gap-3" aria-label="To do">
            {due.map((f) => (
              <FollowUpItem key={f.id} item={f} />
            ))}
          </ul>
        )}
        {snoozed.length > 0 && (
          <>
            <h2 className="text-xl font-bold">Snoozed</h2>
            <ul className="flex flex-col gap-3" aria-label="Snoozed">
              {snoozed.map((f) => (
                <FollowUpItem key={f.id} item={f} />
              ))}
            </ul>
          </>
        )}
      </section>
    );
  }
  const params = await searchParams;
  const stores = me.role === "hq" ? withDb(listStoreNames) : [];
  const storeId = me.role === "hq" ? (stores.find((s) => s.id === Number(params.store))?.id ?? stores[0]?.id) : me.storeId;
  const groups = storeId ? withDb(listStoreFollowUps, storeId, today) : [];
  return (
    <section aria-labelledby="follow-ups-heading" className="flex flex-col gap-4">
      <HeadingRow level={1} id="follow-ups-heading" className="text-2xl font-bold" title="Store follow-ups">
        <Link href="/book" className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
          Client book
        </Link>
      </HeadingRow>
      <StorePicker stores={stores} current={storeId ?? undefined} hrefFor={(id) => `/follow-ups?store=${id}`} />
      {groups.length === 0 ? (
        <p className={empty}>No open follow-ups in this store. Give some from a customer’s profile or from the client book.</p>
      ) : (
        groups.map((g) => (
          <section key={g.staffId} aria-label={g.name} className="flex flex-col gap-2">
            <h2 className="text-xl font-bold">
              {g.name}{" "}
              <span className="text-base font-normal text-stone-600">
                {g.items.length} open{g.overdue ? `, ${g.overdue} overdue` : ""}
              </span>
            </h2>
            <ul className="flex flex-col gap-3">
              {g.items.map((f) => (
                <FollowUpItem key={f.id} item={f} />
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}
