import Link from "next/link";
import { HqNav } from "@/components/hq/hq-nav";
import { RuleActions } from "@/components/hq/rule-actions";
import { ANCHOR_LABELS, STATUS_LABELS, STATUS_STYLES, TARGET_LABELS } from "@/components/hq/rule-labels";
import { buttonClass } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listStoreNames } from "@/lib/stores/stores";
import { listRules } from "@/lib/suggest/rules";

export const metadata = { title: "Suggestion rules" };

export default async function RulesPage() {
  await requireStaff(["hq"]);
  const rules = withDb(listRules);
  const storeNames = new Map(withDb(listStoreNames).map((s) => [s.id, s.name]));
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/rules" />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Suggestion rules</h1>
        <Link href="/hq/rules/new" className={buttonClass("primary")}>
          New rule
        </Link>
      </div>
      {rules.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          No rules yet. Tablets suggest from mined co-purchases and browsing until head office adds some.
        </p>
      ) : (
        <ul className="flex flex-col gap-3">
          {rules.map((r) => (
            <li key={r.id} aria-label={r.name} data-testid="rule-row" className="flex flex-col gap-2 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link href={`/hq/rules/${r.id}`} className="flex min-h-11 items-center text-lg font-semibold text-brand-800 underline-offset-4 hover:underline">
                  {r.name}
                </Link>
                <span className={`rounded-full px-3 py-1 text-sm font-semibold ${STATUS_STYLES[r.status]}`}>{STATUS_LABELS[r.status]}</span>
              </div>
              <p>
                Bought {ANCHOR_LABELS[r.anchorKind].toLowerCase()} <strong>{r.anchorValue}</strong> within {r.withinDays} days → suggest{" "}
                {TARGET_LABELS[r.targetKind].toLowerCase()} <strong>{r.targetValue}</strong> · priority {r.priority}
              </p>
              <p className="text-sm text-stone-600">
                {r.storeIds ? r.storeIds.map((id) => storeNames.get(id) ?? `#${id}`).join(", ") : "All stores"}
                {r.activeFrom || r.activeTo ? ` · ${r.activeFrom ? formatDate(r.activeFrom) : "…"} to ${r.activeTo ? formatDate(r.activeTo) : "…"}` : ""} ·
                changed {formatDate(r.updatedAt)}
                {r.updatedByName ? ` by ${r.updatedByName}` : ""}
              </p>
              <RuleActions id={r.id} name={r.name} status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
