import { and, count, eq, gte, lt, sql, sum } from "drizzle-orm";
import { countWhere } from "@/db/dialect";
import type { Db } from "@/db/client";
import { type SuggestionSource, stores, suggestionEvents, suggestionRules } from "@/db/schema";

export type KpiRow = {
  key: string;
  label: string;
  shown: number;
  accepted: number;
  dismissed: number;
  converted: number;
  revenue: number;
  /** Accepted / shown. */
  attachRate: number | null;
  /** Converted / shown. */
  conversionRate: number | null;
};

const SOURCE_LABELS: Record<SuggestionSource, string> = {
  rule: "Rule",
  association: "Often bought together",
  interest: "Looked at, now on offer",
  popular: "Best seller this season",
};

/** Every event was put to the customer, so all count as shown; accepted and dismissed are its outcome. */
const measures = {
  shown: count(),
  accepted: countWhere(eq(suggestionEvents.status, "accepted")),
  dismissed: countWhere(eq(suggestionEvents.status, "dismissed")),
  converted: count(suggestionEvents.convertedOrderId),
  revenue: sql<number>`coalesce(${sum(suggestionEvents.revenue)}, 0)`,
};

function withRates<T extends Omit<KpiRow, "attachRate" | "conversionRate">>(row: T): T & Pick<KpiRow, "attachRate" | "conversionRate"> {
  const shown = row.shown;
  return { ...row, attachRate: shown ? row.accepted / shown : null, conversionRate: shown ? row.converted / shown : null };
}

export type Kpis = { byRule: KpiRow[]; byStore: KpiRow[]; total: KpiRow };

/** Suggestions put to customers in [from, to): per rule (mined and interest ones grouped by source) and per store. */
export function suggestionKpis(db: Db, period: { from: number; to: number }): Kpis {
  const inPeriod = and(gte(suggestionEvents.at, period.from), lt(suggestionEvents.at, period.to));
  const byRule = db
    .select({ source: suggestionEvents.source, ruleId: suggestionEvents.ruleId, name: suggestionRules.name, ...measures })
    .from(suggestionEvents)
    .leftJoin(suggestionRules, eq(suggestionRules.id, suggestionEvents.ruleId))
    .where(inPeriod)
    .groupBy(suggestionEvents.source, suggestionEvents.ruleId)
    .all()
    .map(({ source, ruleId, name, ...m }) =>
      withRates({
        key: ruleId === null ? source : `rule-${ruleId}`,
        label: ruleId === null ? SOURCE_LABELS[source] : `${SOURCE_LABELS.rule}: ${name ?? `#${ruleId}`}`,
        ...m,
      }),
    )
    .sort((a, b) => b.shown - a.shown || a.label.localeCompare(b.label));
  const byStore = db
    .select({ storeId: suggestionEvents.storeId, name: stores.name, ...measures })
    .from(suggestionEvents)
    .leftJoin(stores, eq(stores.id, suggestionEvents.storeId))
    .where(inPeriod)
    .groupBy(suggestionEvents.storeId)
    .all()
    .map(({ storeId, name, ...m }) => withRates({ key: storeId === null ? "none" : `store-${storeId}`, label: name ?? "Head office (no store)", ...m }))
    .sort((a, b) => b.shown - a.shown || a.label.localeCompare(b.label));
  const [t] = db.select(measures).from(suggestionEvents).where(inPeriod).all();
  return { byRule, byStore, total: withRates({ key: "total", label: "All suggestions", ...t }) };
}
