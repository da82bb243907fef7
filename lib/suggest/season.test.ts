import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { orderLines, seasonSellers, styleTrends } from "@/db/schema";
import { tempDatabase } from "@/lib/test/factories";
import { DATABASE_MINING_DEFAULTS, mineDatabase } from "./mine-database";
import { countSeason, loadSeason } from "./season";
import { DAY, NOW, buy, customer, seedShop } from "./test-data";

let db: Db;
let cleanup: () => void;
let ldn: number;
let lds: number;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  ({ ldn, lds } = seedShop(db));
  const [a, b, c] = [customer(db), customer(db), customer(db)];
  buy(db, a, NOW - 10 * DAY, [["AW-1"], ["LT-1-S"]], { store: "LDN" });
  buy(db, b, NOW - 9 * DAY, [["AW-1"]], { store: "LDN" });
  buy(db, c, NOW - 8 * DAY, [["AD-1"]], { store: "LDN" });
  buy(db, c, NOW - 7 * DAY, [["TR-2-S"]]);
});

afterEach(() => cleanup());

const styles = (season: ReturnType<typeof loadSeason>) => season?.sellers.map((s) => [s.style, Number(s.share.toFixed(3))]);

describe("season's best sellers", () => {
  it("are kept by the mining pass per store and for the chain, and read from there", () => {
    expect(mineDatabase(db, DATABASE_MINING_DEFAULTS).seasons).toBe(2);
    const here = countSeason(db, ldn, NOW)!;
    expect(styles(here)).toEqual([
      ["AW-1", 0.667],
      ["AD-1", 0.333],
      ["LT-1", 0.333],
    ]);
    expect(db.select().from(seasonSellers).where(eq(seasonSellers.storeId, ldn)).all()).toHaveLength(3);
    // Order lines gone after the pass: a request still answers from the kept season, without counting.
    db.delete(orderLines).run();
    expect(countSeason(db, ldn, NOW)?.sellers).toEqual([]);
    expect(styles(loadSeason(db, ldn, NOW))).toEqual(styles(here));
    expect(loadSeason(db, ldn, NOW)?.anchor).toMatchObject({ here: true, to: here.anchor.to });
    // Leeds sold nothing: the chain's season, which counts the online order too.
    expect(loadSeason(db, lds, NOW)?.anchor.here).toBe(false);
    expect(loadSeason(db, lds, NOW)?.sellers.map((s) => s.style)).toEqual(["AW-1", "AD-1", "LT-1", "TR-2"]);
  });

  it("are counted from the orders for a day before the kept season ends (a preview of another day)", () => {
    mineDatabase(db, DATABASE_MINING_DEFAULTS);
    const before = loadSeason(db, ldn, NOW - 9 * DAY - 1);
    expect(before?.anchor.to).toBe(NOW - 10 * DAY);
    expect(styles(before)).toEqual([
      ["AW-1", 1],
      ["LT-1", 1],
    ]);
  });

  it("and each style's orders in the season and in the year, kept by the mining pass", () => {
    const d = customer(db);
    buy(db, d, NOW - 200 * DAY, [["AW-1"], ["AD-1"]]);
    buy(db, d, NOW - 300 * DAY, [["AW-1"]]);
    buy(db, d, NOW - 500 * DAY, [["AD-1"]]);
    expect(mineDatabase(db, DATABASE_MINING_DEFAULTS).trendStyles).toBe(4);
    const trends = db.select().from(styleTrends).orderBy(styleTrends.style).all();
    expect(trends.map((t) => [t.style, t.seasonOrders, t.yearOrders])).toEqual([
      ["AD-1", 1, 2],
      ["AW-1", 2, 4],
      ["LT-1", 1, 1],
      ["TR-2", 1, 1],
    ]);
    expect(trends.every((t) => t.seasonTo === NOW - 7 * DAY)).toBe(true);
  });
});
