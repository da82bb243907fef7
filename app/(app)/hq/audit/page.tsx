import Link from "next/link";
import { HqNav } from "@/components/hq/hq-nav";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { ScrollTable } from "@/components/ui/scroll-table";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { actionLabel, describeAuditDetail } from "@/lib/audit/describe";
import { auditFilterSchema, decodeCursor, encodeCursor, queryAudit } from "@/lib/audit/query";
import { listStaff } from "@/lib/hq/staff";
import { listStores } from "@/lib/stores/admin";
import { Choices, named } from "@/components/ui/choices";
import { TableHead } from "@/components/ui/table-head";

export const metadata = { title: "Audit log" };

const FILTER_KEYS = ["staffId", "profileId", "storeId", "action", "from", "to"] as const;
type Search = Partial<Record<(typeof FILTER_KEYS)[number] | "after", string>>;

/** Common actions offered as suggestions; a prefix such as "hq" finds everything under it. */
const KNOWN_ACTIONS = [
  "customer.lookup",
  "customer.enrol",
  "consent.change",
  "staff.pin_set",
  "suggest",
  "hq.staff",
  "hq.store",
  "hq.identity",
  "hq.source",
  "hq.audit.export",
];

const time = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "Europe/London",
});

function queryString(values: Search): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : "";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireStaff(["hq"]);
  const q = await searchParams;
  const filterValues: Search = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof q[k] === "string" ? q[k] : undefined]));
  const parsed = auditFilterSchema.safeParse(filterValues);
  const cursor = decodeCursor(q.after);
  const page = parsed.success ? withDb(queryAudit, parsed.data, cursor) : null;
  const staff = withDb(listStaff);
  const stores = withDb(listStores);
  const field = (name: string, label: string, control: React.ReactNode) => (
    <label className="flex flex-col gap-1 text-sm font-semibold" htmlFor={`audit-${name}`}>
      {label}
      {control}
    </label>
  );
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/audit" />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Audit log</h1>
        {parsed.success && (
          <a href={`/hq/audit/export${queryString(filterValues)}`} className={buttonClass("secondary")} download>
            Export CSV
          </a>
        )}
      </div>
      <form method="get" aria-label="Filter the audit log" className="grid gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200 sm:grid-cols-3">
        {field(
          "staffId",
          "Staff",
          <select id="audit-staffId" name="staffId" defaultValue={filterValues.staffId ?? ""} className={inputClass}>
            <option value="">Anyone</option>
            <Choices of={named(staff)} />
          </select>,
        )}
        {field(
          "profileId",
          "Customer profile ID",
          <input id="audit-profileId" name="profileId" inputMode="numeric" defaultValue={filterValues.profileId ?? ""} className={inputClass} />,
        )}
        {field(
          "storeId",
          "Store",
          <select id="audit-storeId" name="storeId" defaultValue={filterValues.storeId ?? ""} className={inputClass}>
            <option value="">Any store</option>
            <Choices of={named(stores)} />
          </select>,
        )}
        {field(
          "action",
          "Action",
          <input id="audit-action" name="action" list="audit-actions" defaultValue={filterValues.action ?? ""} autoComplete="off" className={inputClass} />,
        )}
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        {field("from", "From", <input id="audit-from" type="date" name="from" defaultValue={filterValues.from ?? ""} className={inputClass} />)}
        {field("to", "To", <input id="audit-to" type="date" name="to" defaultValue={filterValues.to ?? ""} className={inputClass} />)}
        <div className="flex flex-wrap gap-3 sm:col-span-3">
          <button type="submit" className={buttonClass("primary")}>
            Show
          </button>
          <Link href="/hq/audit" className={buttonClass("ghost")}>
            Clear filters
          </Link>
        </div>
      </form>
      {!parsed.success ? (
        <p role="alert" className="rounded-2xl bg-red-50 p-5 text-red-900 ring-1 ring-red-200">
          {parsed.error.issues[0]?.path.join(".")}: {parsed.error.issues[0]?.message ?? "These filters are not valid."} Check the filters and try again.
        </p>
      ) : page!.rows.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          {cursor ? "No older entries." : "Nothing in the log matches these filters."}
        </p>
      ) : (
        <ScrollTable label="Audit entries" className="rounded-2xl bg-white ring-1 ring-stone-200">
          <table className="w-full text-left text-sm">
            <TableHead className="bg-stone-100 text-stone-700" cellClassName="px-3 py-2" columns={["When", "Who", "Store", "Action", "Customer", "Detail"]} />
            <tbody>
              {page!.rows.map((r) => (
                <tr key={r.id} data-testid="audit-row" className="border-t border-stone-200 align-top">
                  <td className="whitespace-nowrap px-3 py-2">{time.format(r.at)}</td>
                  <td className="px-3 py-2">{r.staffName ?? "System"}</td>
                  <td className="px-3 py-2">{r.storeCode ?? "–"}</td>
                  <td className="px-3 py-2">
                    {actionLabel(r.action)}
                    <span className="block font-mono text-xs text-stone-600">{r.action}</span>
                  </td>
                  <td className="px-3 py-2">{r.profileId ?? "–"}</td>
                  <td
                    className="max-w-72 break-words px-3 py-2 text-stone-700"
                    title={r.detail && Object.keys(r.detail).length > 0 ? JSON.stringify(r.detail) : undefined}
                  >
                    {describeAuditDetail(r.action, r.detail)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {parsed.success && (cursor || page?.next) && (
        <nav aria-label="Pages" className="flex gap-3">
          {cursor && (
            <Link href={`/hq/audit${queryString(filterValues)}`} className={buttonClass("secondary")}>
              Newest
            </Link>
          )}
          {page?.next && (
            <Link href={`/hq/audit${queryString({ ...filterValues, after: encodeCursor(page.next) })}`} className={buttonClass("secondary")}>
              Older entries
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
