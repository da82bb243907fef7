import { HqNav } from "@/components/hq/hq-nav";
import { NewStaffForm, StaffRowActions } from "@/components/hq/staff-forms";
import { buttonClass } from "@/components/ui/button";
import { withDb } from "@/lib/actions/app-db";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/actions/session";
import { type StaffFilter, listStaff } from "@/lib/hq/staff";
import { listStores } from "@/lib/stores/admin";
import { FilterSelect, named, labelled } from "@/components/ui/choices";

export const metadata = { title: "Staff" };

const STATUSES = [
  { value: "active", label: "Active" },
  { value: "disabled", label: "Disabled" },
];

type Search = { store?: string; role?: string; status?: string };

/** Filters from the query string; anything unrecognised is ignored rather than an error page. */
function filterOf(q: Search): StaffFilter {
  const store = q.store === "none" ? "none" : /^\d+$/.test(q.store ?? "") ? Number(q.store) : undefined;
  const role = ROLES.includes(q.role as Role) ? (q.role as Role) : undefined;
  const active = q.status === "active" ? true : q.status === "disabled" ? false : undefined;
  return { storeId: store, role, active };
}

export default async function StaffPage({ searchParams }: { searchParams: Promise<Search> }) {
  const me = await requireStaff(["hq"]);
  const q = await searchParams;
  const staff = withDb(listStaff, filterOf(q));
  const stores = withDb(listStores).map((s) => ({ id: s.id, name: s.name }));
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/staff" />
      <h1 className="text-2xl font-bold">Staff</h1>
      <NewStaffForm stores={stores} />
      <form method="get" aria-label="Filter staff" className="flex flex-wrap items-end gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
        <FilterSelect
          name="store"
          label="Store"
          value={q.store}
          any="All stores"
          choices={[{ value: "none", label: "Head office (no store)" }, ...named(stores)]}
        />
        <FilterSelect name="role" label="Role" value={q.role} any="All roles" choices={labelled(ROLE_LABELS)} />
        <FilterSelect name="status" label="Status" value={q.status} any="Active and disabled" choices={STATUSES} />
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
      </form>
      <p className="text-sm text-stone-600" role="status">
        {staff.length === 1 ? "1 person" : `${staff.length} people`}
      </p>
      {staff.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">Nobody matches these filters.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {staff.map((s) => (
            <li
              key={s.id}
              aria-label={s.name}
              data-testid="staff-row"
              className={`flex flex-col gap-3 rounded-2xl p-4 ring-1 ring-stone-200 ${s.active ? "bg-white" : "bg-stone-100"}`}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p>
                  <span className="text-lg font-semibold">{s.name}</span> <span className="text-stone-600">{s.email}</span>
                </p>
                <p className="text-sm text-stone-700">
                  {ROLE_LABELS[s.role]} · {s.storeName ?? "All stores"}
                  {s.role === "associate" ? (s.hasPin ? " · PIN set" : " · no PIN") : ""} ·{" "}
                  <span className={s.active ? "font-semibold text-emerald-800" : "font-semibold text-red-800"}>{s.active ? "Active" : "Disabled"}</span>
                </p>
              </div>
              <StaffRowActions staff={s} stores={stores} isMe={s.id === me.id} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
