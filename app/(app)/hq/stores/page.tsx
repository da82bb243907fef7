import { getCountries } from "libphonenumber-js/max";
import { HqNav } from "@/components/hq/hq-nav";
import { StoreForm } from "@/components/hq/store-form";
import { buttonClass } from "@/components/ui/button";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listStores } from "@/lib/stores/admin";
import { Panel } from "@/components/ui/panel";

export const metadata = { title: "Stores" };

export default async function StoresPage() {
  await requireStaff(["hq"]);
  const stores = withDb(listStores);
  const countries = getCountries().slice().sort();
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/stores" />
      <h1 className="text-2xl font-bold">Stores</h1>
      <p className="text-stone-600">
        A store&apos;s phone number never links customers (walk-ins are often given it), and phone numbers typed in a store are read in its country.
      </p>
      {stores.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No stores yet.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {stores.map((s) => (
            <li key={s.id} aria-label={s.name} data-testid="store-row" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
              <p className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="text-lg font-semibold">
                  {s.name} <span className="font-mono text-stone-600">{s.code}</span>
                </span>
                <span className="text-sm text-stone-600">{s.staffCount === 1 ? "1 active staff member" : `${s.staffCount} active staff`}</span>
              </p>
              <p className="text-sm text-stone-700">
                {s.city}, {s.country} · {s.phone ?? "no phone"} · tablets lock after {s.lockTimeoutSeconds} s
              </p>
              <details className="group">
                <summary className={buttonClass("secondary", "cursor-pointer list-none self-start")} aria-label={`Edit ${s.name}`}>
                  <span className="group-open:hidden">Edit</span>
                  <span className="hidden group-open:inline">Close</span>
                </summary>
                <div className="pt-4">
                  <StoreForm
                    storeId={s.id}
                    initial={{ code: s.code, name: s.name, city: s.city, country: s.country, phone: s.phone ?? "", lockTimeoutSeconds: s.lockTimeoutSeconds }}
                    countries={countries}
                  />
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      <Panel headingId="new-store" title="New store" className="flex flex-col gap-3">
        <StoreForm storeId={null} initial={null} countries={countries} />
      </Panel>
    </div>
  );
}
