import { and, asc, count, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { associationRules, products, settings } from "@/db/schema";

/**
 * Head office's window on the mined associations: find an item, see what is bought with it and the
 * evidence behind each pair in a merchandiser's words.
 */

export const MINING_SUMMARY_KEY = "suggest.mining";
export type MiningSummary = { baskets: number; minedAt: number };

export function miningSummary(db: Db): MiningSummary | null {
  const value = db.select({ value: settings.value }).from(settings).where(eq(settings.key, MINING_SUMMARY_KEY)).get()?.value as
    Partial<MiningSummary> | undefined;
  return value && typeof value.baskets === "number" && typeof value.minedAt === "number" ? { baskets: value.baskets, minedAt: value.minedAt } : null;
}

/** Kept by the mining run beside the pairs it stores, so a pair's support can be said as a number of baskets. */
export function saveMiningSummary(db: Db, summary: MiningSummary): void {
  db.insert(settings)
    .values({ key: MINING_SUMMARY_KEY, value: summary, updatedAt: summary.minedAt })
    .onConflictDoUpdate({ target: settings.key, set: { value: summary, updatedAt: summary.minedAt } })
    .run();
}

export type ItemMatch = { style: string; name: string; category: string; brand: string; pairs: number };

const ITEM_MATCHES = 20;

/** Items whose style, SKU or name contains the words typed, those with mined companions first. */
export function findItems(db: Db, query: string): ItemMatch[] {
  const q = query.trim();
  if (!q) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = db
    .selectDistinct({ style: products.style, name: products.name, category: products.category, brand: products.brand })
    .from(products)
    .where(
      or(
        sql`${products.style} like ${pattern} escape '\\'`,
        sql`${products.sku} like ${pattern} escape '\\'`,
        sql`${products.name} like ${pattern} escape '\\'`,
      ),
    )
    .orderBy(asc(products.style))
    .limit(200)
    .all();
  const byStyle = new Map<string, ItemMatch>();
  for (const m of matches) if (!byStyle.has(m.style)) byStyle.set(m.style, { ...m, pairs: 0 });
  const styles = [...byStyle.keys()];
  if (styles.length > 0) {
    const counts = db
      .select({ style: associationRules.anchorStyle, n: count() })
      .from(associationRules)
      .where(and(inArray(associationRules.anchorStyle, styles), eq(associationRules.kind, "together")))
      .groupBy(associationRules.anchorStyle)
      .all();
    for (const c of counts) byStyle.get(c.style)!.pairs = c.n;
  }
  return [...byStyle.values()].sort((a, b) => Number(b.pairs > 0) - Number(a.pairs > 0) || a.style.localeCompare(b.style)).slice(0, ITEM_MATCHES);
}

export type Companion = {
  style: string;
  name: string;
  rank: number;
  /** Baskets holding both, when the mining run recorded how many baskets it read. */
  baskets: number | null;
  support: number;
  confidence: number;
  lift: number;
};

export type ItemAssociations = {
  item: { style: string; name: string; category: string; brand: string };
  companions: Companion[];
  mining: MiningSummary | null;
};

export function itemAssociations(db: Db, style: string): ItemAssociations | null {
  const item = db
    .select({ style: products.style, name: products.name, category: products.category, brand: products.brand })
    .from(products)
    .where(eq(products.style, style))
    .orderBy(asc(products.id))
    .get();
  if (!item) return null;
  const mining = miningSummary(db);
  const rows = db
    .select({
      style: associationRules.suggestStyle,
      rank: associationRules.rank,
      support: associationRules.support,
      confidence: associationRules.confidence,
      lift: associationRules.lift,
    })
    .from(associationRules)
    .where(and(eq(associationRules.anchorStyle, style), eq(associationRules.kind, "together")))
    .orderBy(asc(associationRules.rank))
    .all();
  const names = new Map(
    rows.length === 0
      ? []
      : db
          .selectDistinct({ style: products.style, name: products.name })
          .from(products)
          .where(
            inArray(
              products.style,
              rows.map((r) => r.style),
            ),
          )
          .all()
          .map((p) => [p.style, p.name]),
  );
  const companions = rows.map((r) => ({ ...r, name: names.get(r.style) ?? r.style, baskets: mining ? Math.round(r.support * mining.baskets) : null }));
  return { item, companions, mining };
}

/** The pair's evidence as a merchandiser says it. */
export function describeCompanion(anchorName: string, c: Companion): { together: string; share: string; chance: string } {
  const pct = (v: number) => (v >= 0.1 ? `${Math.round(v * 100)}%` : `${(v * 100).toFixed(1)}%`);
  return {
    together:
      c.baskets === null
        ? `${pct(c.support)} of baskets`
        : `${c.baskets.toLocaleString("en-GB")} basket${c.baskets === 1 ? "" : "s"} (${pct(c.support)} of all)`,
    share: `${pct(c.confidence)} of baskets with the ${anchorName} also have it`,
    chance: c.lift >= 1 ? `${c.lift.toFixed(1)}× as often as chance would put them together` : `less often than chance (${c.lift.toFixed(2)}×)`,
  };
}
