import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { associationRules, orderLines, orders, products, profiles, sources } from "@/db/schema";
import { tempDatabase } from "@/lib/test/factories";
import { type DatabaseMiningOptions, mineDatabase } from "./mine-database";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

const OPTIONS: DatabaseMiningOptions = { windowDays: 90, minCount: 1, minSupport: 0, minConfidence: 0, minLift: 1, topK: 20 };

let db: Db;
let cleanup: () => void;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
});

afterEach(() => cleanup());

/**
 * Baskets (N = 7): orders {S1,S2} {S1,S2} {S1} {S3} {S4} {S1,S2}, and customer 1's window {S3,S4}.
 * Customer 2's window holds one order, so it is not a second basket; the pure-return order is none.
 * Counts: S1 4, S2 3, S3 2, S4 2, S1+S2 3, S3+S4 1.
 */
function seed(): void {
  const [{ id: sourceId }] = db.insert(sources).values({ name: "pos", label: "POS" }).returning().all();
  const skus = ["S1-M", "S1-L", "S2-M", "S3-M", "S4-M"];
  const productIds = new Map(
    db
      .insert(products)
      .values(skus.map((sku) => ({ sku, style: sku.slice(0, 2), name: sku, category: "tops", department: "women", brand: "House", price: 1000 })))
      .returning()
      .all()
      .map((p) => [p.sku, p.id]),
  );
  const [p1, p2] = db.insert(profiles).values([{}, {}]).returning().all();
  const purchases: [number | null, number, [string, number][]][] = [
    [
      null,
      0,
      [
        ["S1-M", 1],
        ["S2-M", 1],
      ],
    ],
    [
      null,
      1,
      [
        ["S1-L", 1],
        ["S2-M", 2],
        ["S3-M", -1],
      ],
    ],
    [
      null,
      2,
      [
        ["S1-M", 1],
        ["S1-L", 1],
      ],
    ],
    [p1.id, 0, [["S3-M", 1]]],
    [p1.id, 10, [["S4-M", 1]]],
    [
      p2.id,
      0,
      [
        ["S1-M", 1],
        ["S2-M", 1],
      ],
    ],
    [null, 3, [["S4-M", -1]]],
  ];
  purchases.forEach(([profileId, day, lines], i) => {
    const [order] = db
      .insert(orders)
      .values({ sourceId, externalId: `o${i}`, profileId, channel: "store", placedAt: T0 + day * DAY, total: 0 })
      .returning()
      .all();
    db.insert(orderLines)
      .values(lines.map(([sku, quantity], lineNo) => ({ orderId: order.id, lineNo, productId: productIds.get(sku)!, quantity, unitPrice: 1000 })))
      .run();
  });
}

const storedRules = () =>
  db
    .select()
    .from(associationRules)
    .orderBy(asc(associationRules.anchorStyle), asc(associationRules.rank))
    .all()
    .map(({ anchorStyle, suggestStyle, kind, support, confidence, lift, rank }) => ({ anchorStyle, suggestStyle, kind, support, confidence, lift, rank }));
const together = () => storedRules().filter((r) => r.kind === "together");

describe("mineDatabase", () => {
  it("mines styles from orders and customer windows and stores the top K per anchor", () => {
    seed();
    const summary = mineDatabase(db, OPTIONS);
    expect(summary).toMatchObject({ orderBaskets: 6, customerBaskets: 1, styles: 4, rulesStored: 4, anchors: 4, minCount: 1 });
    const kind = "together";
    expect(together()).toEqual([
      { anchorStyle: "S1", suggestStyle: "S2", kind, support: 3 / 7, confidence: 3 / 4, lift: (0.75 * 7) / 3, rank: 1 },
      { anchorStyle: "S2", suggestStyle: "S1", kind, support: 3 / 7, confidence: 1, lift: 7 / 4, rank: 1 },
      { anchorStyle: "S3", suggestStyle: "S4", kind, support: 1 / 7, confidence: 1 / 2, lift: (0.5 * 7) / 2, rank: 1 },
      { anchorStyle: "S4", suggestStyle: "S3", kind, support: 1 / 7, confidence: 1 / 2, lift: (0.5 * 7) / 2, rank: 1 },
    ]);
    const minedAt = new Set(
      db
        .select()
        .from(associationRules)
        .all()
        .map((r) => r.minedAt),
    );
    expect(minedAt.size).toBe(1);
  });

  it("replaces the previous rules and applies the minimum count", () => {
    seed();
    db.insert(associationRules).values({ anchorStyle: "OLD", suggestStyle: "X", support: 1, confidence: 1, lift: 1, rank: 1, minedAt: 0 }).run();
    const summary = mineDatabase(db, { ...OPTIONS, minCount: 2 });
    expect(summary.rulesStored).toBe(2);
    expect(storedRules().map((r) => `${r.anchorStyle}>${r.suggestStyle}`)).toEqual(["S1>S2", "S2>S1"]);
  });

  it('stores what customers bought in their next order as "next" pairs, new styles only', () => {
    seed();
    // Customer 1: {S3} then {S4}, one step; customer 2 has one order, anonymous orders take no step.
    const summary = mineDatabase(db, OPTIONS);
    expect(summary).toMatchObject({ steps: 1, nextRulesStored: 1 });
    expect(storedRules().filter((r) => r.kind === "next")).toEqual([
      { anchorStyle: "S3", suggestStyle: "S4", kind: "next", support: 1, confidence: 1, lift: 1, rank: 1 },
    ]);
  });

  it("stores nothing from an empty database", () => {
    expect(mineDatabase(db, OPTIONS)).toMatchObject({ lines: 0, orderBaskets: 0, rulesStored: 0 });
    expect(storedRules()).toEqual([]);
  });
});
