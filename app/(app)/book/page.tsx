import Link from "next/link";
import { BookList } from "@/components/book/book-list";
import { StorePicker, pillClass } from "@/components/book/store-picker";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listBook, storeBooks } from "@/lib/book/assignments";
import { listStoreNames } from "@/lib/stores/stores";
import { HeadingRow } from "@/components/ui/heading-row";

export const metadata = { title: "Client book" };

export default async function BookPage({ searchParams }: { searchParams: Promise<{ store?: string; staff?: string }> }) {
  const me = await requireStaff();
  if (me.role === "associate") {
    return (
      <section aria-labelledby="book-heading" className="flex flex-col gap-4">
        <h1 id="book-heading" className="text-2xl font-bold">
          My customers
        </h1>
        <p className="text-stone-600">The customers your manager asked you to look after. Open one to see their profile.</p>
        {me.storeId === null ? (
          <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">You have no home store, so no client book.</p>
        ) : (
          <BookList
            storeId={me.storeId}
            staffId={me.id}
            firstPage={withDb(listBook, { storeId: me.storeId, staffId: me.id, after: null })}
            selectable={false}
          />
        )}
      </section>
    );
  }
  const params = await searchParams;
  const stores = me.role === "hq" ? withDb(listStoreNames) : [];
  const storeId = me.role === "hq" ? (stores.find((s) => s.id === Number(params.store))?.id ?? stores[0]?.id) : me.storeId;
  const books = storeId ? withDb(storeBooks, storeId) : [];
  const current = books.find((b) => b.staffId === Number(params.staff)) ?? books[0];
  const href = (store: number | undefined, staff?: number) =>
    `/book?${new URLSearchParams({ ...(me.role === "hq" && store ? { store: String(store) } : {}), ...(staff ? { staff: String(staff) } : {}) })}`;
  return (
    <section aria-labelledby="book-heading" className="flex flex-col gap-4">
      <HeadingRow level={1} id="book-heading" className="text-2xl font-bold" title="Client book">
        <Link href="/follow-ups" className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
          Store follow-ups
        </Link>
      </HeadingRow>
      <StorePicker stores={stores} current={storeId ?? undefined} hrefFor={(id) => href(id)} />
      {!storeId || !current ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No active associates in this store yet.</p>
      ) : (
        <>
          <nav aria-label="Associate" className="flex flex-wrap gap-2">
            {books.map((b) => (
              <Link
                key={b.staffId}
                href={href(storeId, b.staffId)}
                className={pillClass(b.staffId === current.staffId)}
                aria-current={b.staffId === current.staffId ? "page" : undefined}
              >
                {b.name}
                <span className="tabular-nums opacity-80">{b.customers}</span>
              </Link>
            ))}
          </nav>
          <h2 className="text-xl font-bold">{current.name}’s customers</h2>
          <BookList
            key={`${storeId}-${current.staffId}`}
            storeId={storeId}
            staffId={current.staffId}
            firstPage={withDb(listBook, { storeId, staffId: current.staffId, after: null })}
            selectable
          />
        </>
      )}
    </section>
  );
}
