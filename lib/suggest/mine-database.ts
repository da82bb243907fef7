import { count, gt } from "drizzle-orm";
import { type Db, inTransaction, iterateRows } from "@/db/client";
import { JOIN_IN_WRITTEN_ORDER } from "@/db/dialect";
import { type AssociationKind, associationRules, orderLines } from "@/db/schema";
import { basketsFromPurchases, OrderSteps, type PurchaseRow } from "./baskets";
import { saveMiningSummary } from "./associations";
import { compareByStrength } from "./rank";
import { refreshSeasonSellers, refreshStyleTrends } from "./season";
import { checkMiningOptions, compareRules, minSupportCount, NextPairCounter, PairCounter, type Rule, topKPerItem } from "./mining";

const INSERT_CHUNK = 1000;

/** Told the number of order lines to read, then how many are read so far (a CLI draws a progress line). */
export type MiningProgress = { update(done: number): void; finish(): void };

/**
 * Positive order lines as styles, streamed in the order basketsFromPurchases needs. Sorting by
 * customer and time (not order id) lets customer windows be built with constant memory. The join in
 * written order keeps orders the outer loop, walked in that order through orders_profile_placed_idx;
 * a plain JOIN lets SQLite scan order_lines and sort every row in a temp B-tree, which with
 * temp_store = MEMORY holds the whole result in RAM.
 */
function streamPurchaseRows(db: Db): IterableIterator<PurchaseRow> {
  return iterateRows<PurchaseRow>(
    db,
    `SELECT o.id AS orderId, o.profile_id AS profileId, o.placed_at AS placedAt, p.style AS style
     FROM orders o
     ${JOIN_IN_WRITTEN_ORDER} order_lines l ON l.order_id = o.id
     JOIN products p ON p.id = l.product_id
     WHERE l.quantity > 0
     ORDER BY o.profile_id, o.placed_at, o.id`,
  );
}

export type DatabaseMiningOptions = {
  windowDays: number;
  /** Minimum number of baskets holding both styles. */
  minCount: number;
  /** Minimum support as a fraction of baskets; the stricter of this and minCount applies. */
  minSupport: number;
  minConfidence: number;
  minLift: number;
  topK: number;
};

export const DATABASE_MINING_DEFAULTS: DatabaseMiningOptions = { windowDays: 90, minCount: 5, minSupport: 0, minConfidence: 0, minLift: 1, topK: 20 };

export type DatabaseMiningSummary = {
  lines: number;
  orderBaskets: number;
  customerBaskets: number;
  styles: number;
  pairs: number;
  minCount: number;
  rulesStored: number;
  anchors: number;
  /** Orders followed by another of the same customer, and the "went on to buy" pairs kept from them. */
  steps: number;
  nextRulesStored: number;
  /** Stores (and the chain) whose season's best sellers were recounted. */
  seasons: number;
  /** Styles whose season and year orders were recounted. */
  trendStyles: number;
};

export function mineDatabase(db: Db, options: DatabaseMiningOptions, progress?: (total: number) => MiningProgress): DatabaseMiningSummary {
  if (!Number.isInteger(options.topK) || options.topK < 1) throw new RangeError("topK must be a positive integer");
  if (!Number.isInteger(options.minCount) || options.minCount < 1) throw new RangeError("minCount must be a positive integer");
  if (!(options.windowDays > 0)) throw new RangeError("windowDays must be positive");
  checkMiningOptions({ minSupport: options.minSupport, minConfidence: options.minConfidence });
  const [{ lines }] = db.select({ lines: count() }).from(orderLines).where(gt(orderLines.quantity, 0)).all();
  const bar = progress?.(lines);
  const counter = new PairCounter();
  const next = new NextPairCounter();
  const steps = new OrderSteps({ windowDays: options.windowDays }, (before, later) => next.add(before, later));
  let read = 0;
  const countedRows = function* () {
    for (const row of streamPurchaseRows(db)) {
      if ((++read & 0xfff) === 0) bar?.update(read);
      steps.add(row);
      yield row;
    }
    steps.finish();
  };
  const baskets = { order: 0, customer: 0 };
  for (const basket of basketsFromPurchases(countedRows(), { windowDays: options.windowDays })) {
    counter.add(basket.styles);
    baskets[basket.kind]++;
  }
  bar?.update(read);
  bar?.finish();

  const minCount = Math.max(options.minCount, minSupportCount(counter.basketCount, options.minSupport));
  const ruleOptions = { minCount, minConfidence: options.minConfidence, minLift: options.minLift };
  const minedAt = Date.now();
  const keep = (kind: AssociationKind, rules: Rule[]) => {
    const top = topKPerItem(rules, options.topK, (a, b) => compareByStrength(a, b) || compareRules(a, b));
    const rows = [...top].flatMap(([anchorStyle, best]) =>
      best.map((rule, i) => ({
        anchorStyle,
        suggestStyle: rule.rhs,
        kind,
        support: rule.support,
        confidence: rule.confidence,
        lift: rule.lift,
        rank: i + 1,
        minedAt,
      })),
    );
    return { rows, anchors: top.size };
  };
  const together = keep("together", counter.rules(ruleOptions));
  const following = keep("next", next.rules(ruleOptions));
  const stored = [...together.rows, ...following.rows];
  inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- each run replaces every mined rule
    db.delete(associationRules).run();
    for (let i = 0; i < stored.length; i += INSERT_CHUNK)
      db.insert(associationRules)
        .values(stored.slice(i, i + INSERT_CHUNK))
        .run();
    saveMiningSummary(db, { baskets: counter.basketCount, minedAt });
  });
  const { seasons } = refreshSeasonSellers(db, minedAt);
  const trendStyles = refreshStyleTrends(db, minedAt);
  return {
    lines: read,
    orderBaskets: baskets.order,
    customerBaskets: baskets.customer,
    styles: counter.itemCount,
    pairs: counter.pairCount,
    minCount,
    rulesStored: together.rows.length,
    anchors: together.anchors,
    steps: next.stepCount,
    nextRulesStored: following.rows.length,
    seasons,
    trendStyles,
  };
}
