import Link from "next/link";
import { forbidden } from "next/navigation";
import { CustomerTable } from "@/components/lists/customer-table";
import { ListBulkActions } from "@/components/lists/list-bulk-actions";
import { SavedLists } from "@/components/lists/saved-lists";
import { buttonClass } from "@/components/ui/button";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { displayName } from "@/lib/customers/display";
import { DomainError } from "@/lib/errors";
import { CONSENT_CHANNELS, CONSENT_LABELS } from "@/lib/customers/channels";
import { LIST_SORTS, type ListParams, SORT_LABELS, filterOf, listQueryString, parseListParams } from "@/lib/lists/params";
import { type ListOptions, type ListPage, listOptions, queryStoreCustomers } from "@/lib/lists/query";
import { listSavedLists } from "@/lib/lists/saved";
import { listStoreFor } from "@/lib/lists/scope";
import { getStore, listStoreNames } from "@/lib/stores/stores";
import { Choices, FilterSelect, named } from "@/components/ui/choices";
import { inputClass } from "@/components/ui/field";

export const metadata = { title: "Customer list" };

type Search = Record<string, string | string[] | undefined>;

export default async function CustomerListPage({ searchParams }: { searchParams: Promise<Search> }) {
  const staff = await requireStaff(["manager", "hq"]);
  const raw = await searchParams;
  const parsed = parseListParams(raw);
  const requestedStore = parsed.ok ? parsed.params.store : undefined;
  const allStores = staff.role === "hq" ? withDb(listStoreNames) : [];
  let storeId: number | null = null;
  try {
    storeId = withDb(listStoreFor, staff, requestedStore);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code === "forbidden") forbidden();
  }
  const params: ListParams = parsed.ok ? parsed.params : { sort: "last_purchase_desc" };
  let page: ListPage | null = null;
  let pageError: string | null = null;
  if (storeId !== null && parsed.ok) {
    try {
      page = withDb(queryStoreCustomers, storeId, filterOf(params), { after: params.after });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      pageError = error.message;
    }
  }
  const storeName = withDb(getStore, storeId)?.name ?? null;
  const store = staff.role === "hq" ? (storeId ?? undefined) : undefined;
  const queryOf = (overrides: Parameters<typeof listQueryString>[1] = {}) => listQueryString({ ...params, store }, { after: undefined, ...overrides });
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Customers{storeName ? ` · ${storeName}` : ""}</h1>
        {staff.role === "hq" && (
          <form method="get" className="flex items-center gap-2">
            <label htmlFor="store" className="text-sm font-semibold">
              Store
            </label>
            <select id="store" name="store" defaultValue={storeId ?? ""} className={inputClass}>
              <option value="">Choose…</option>
              <Choices of={named(allStores)} />
            </select>
            <button type="submit" className={buttonClass("secondary")}>
              Show
            </button>
          </form>
        )}
      </div>
      {storeId === null ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">Choose a store to see its customers.</p>
      ) : (
        <>
          <SavedLists
            store={store}
            query={listQueryString(filterOf(params))}
            lists={withDb(listSavedLists, storeId).map((l) => ({
              id: l.id,
              name: l.name,
              href: `/customers/list?${new URLSearchParams([...(store ? [["store", String(store)]] : []), ...new URLSearchParams(l.query)]).toString()}`,
            }))}
          />
          <Filters params={params} options={withDb(listOptions, storeId)} store={store} />
          {!parsed.ok || pageError ? (
            <div role="alert" className="rounded-2xl bg-red-50 p-4 text-red-900 ring-1 ring-red-200">
              <p className="font-semibold">This list address has a problem:</p>
              <ul className="list-disc pl-5">
                {(parsed.ok ? [pageError!] : parsed.errors).map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
              <Link href={`/customers/list${store ? `?store=${store}` : ""}`} className="mt-2 inline-flex min-h-11 items-center font-semibold underline">
                Start again with no filters
              </Link>
            </div>
          ) : (
            page && (
              <>
                <CustomerTable
                  exportHref={`/customers/list/export?${queryOf()}`}
                  rows={page.rows.map((r) => ({
                    profileId: r.profileId,
                    name: displayName(r),
                    tier: r.tier,
                    lastPurchaseAt: r.lastPurchaseAt,
                    orderCount: r.orderCount,
                    spend: r.spend,
                    consents: r.consents,
                    associate: r.associate?.name ?? null,
                  }))}
                >
                  <ListBulkActions storeId={storeId} />
                </CustomerTable>
                {page.rows.length === 0 && <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No customers match these filters.</p>}
                <nav aria-label="Pages" className="flex justify-between gap-2">
                  {params.after ? (
                    <Link href={`/customers/list?${queryOf()}`} className={buttonClass("secondary")}>
                      First page
                    </Link>
                  ) : (
                    <span />
                  )}
                  {page.next && (
                    <Link href={`/customers/list?${queryOf({ after: page.next })}`} className={buttonClass("secondary")}>
                      Next page
                    </Link>
                  )}
                </nav>
              </>
            )
          )}
        </>
      )}
    </div>
  );
}

/** A plain GET form: applying filters changes the address, so every list can be bookmarked and works before scripts load. */
function Filters({ params, options, store }: { params: ListParams; options: ListOptions; store: number | undefined }) {
  const select = (name: keyof ListParams, label: string, values: { value: string | number; label: string }[], anyLabel = "Any") => (
    <FilterSelect name={name} label={label} value={params[name]} any={anyLabel} choices={values} />
  );
  const input = (name: keyof ListParams, label: string, type: "date" | "number", extra: { min?: number; step?: number; placeholder?: string } = {}) => (
    <label className="flex flex-col gap-1 text-sm font-semibold">
      {label}
      <input
        name={name}
        type={type}
        defaultValue={params[name] === undefined ? "" : String(params[name])}
        inputMode={type === "number" ? "numeric" : undefined}
        className={inputClass}
        {...extra}
      />
    </label>
  );
  const asValues = (list: string[]) => list.map((v) => ({ value: v, label: v }));
  return (
    <form method="get" aria-label="Filters" className="grid grid-cols-2 gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200 min-[900px]:grid-cols-4">
      {store !== undefined && <input type="hidden" name="store" value={store} />}
      {select("tier", "Tier", asValues(options.tiers))}
      {input("from", "Last purchase from", "date")}
      {input("to", "Last purchase to", "date")}
      {select(
        "consent",
        "Consent",
        CONSENT_CHANNELS.map((c) => ({ value: c, label: CONSENT_LABELS[c] })),
      )}
      {input("minSpend", "Spend from (£)", "number", { min: 0, step: 1 })}
      {input("maxSpend", "Spend to (£)", "number", { min: 0, step: 1 })}
      {select("category", "Bought category", asValues(options.categories))}
      {select("collection", "Bought collection", asValues(options.collections))}
      {select(
        "associate",
        "Associate",
        options.associates.map((a) => ({ value: a.id, label: a.name })),
      )}
      {input("notSeen", "Not seen for (days)", "number", { min: 1, step: 1 })}
      {select(
        "sort",
        "Sort",
        LIST_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })),
        "",
      )}
      <div className="col-span-2 flex items-end gap-2 min-[900px]:col-span-1">
        <button type="submit" className={buttonClass("primary")}>
          Apply
        </button>
        <Link href={`/customers/list${store ? `?store=${store}` : ""}`} className={buttonClass("ghost")}>
          Clear
        </Link>
      </div>
    </form>
  );
}
