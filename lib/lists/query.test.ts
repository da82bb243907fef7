import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { storeCustomerPurchases, storeCustomerStats } from "@/db/schema";
import { recordConsent } from "@/lib/customers/consent";
import { ingest } from "@/lib/test/factories";
import { type ListFilter, parseListParams } from "./params";
import { type ListRow, isStoreCustomer, listOptions, queryStoreCustomers } from "./query";
import { rebuildStoreCustomerStats } from "./stats";
import { mergeManually, unmerge } from "@/lib/identity/merge";
import { LDN, LDS, NOW, day, order, seedListStores } from "./test-data";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let ids: Record<string, number>;
let associateId: number;

databaseEachTest((fresh) => {
  db = fresh;
  ({ ids, associateId } = seedListStores(db));
});

const base: ListFilter = { sort: "name_asc" };
const names = (rows: ListRow[]) => rows.map((r) => r.firstName);
/** Both plans (drive from the filter, walk the sort index) must give the same page. */
function both(filter: Partial<ListFilter>, storeId = LDN) {
  const f = { ...base, ...filter };
  const driven = names(queryStoreCustomers(db, storeId, f, { now: NOW, driveBelow: Number.MAX_SAFE_INTEGER }).rows);
  const walked = names(queryStoreCustomers(db, storeId, f, { now: NOW, driveBelow: 0 }).rows);
  expect(driven).toEqual(walked);
  return driven;
}

describe("store customer list", () => {
  it("lists the store's buyers and assigned customers only", () => {
    expect(both({})).toEqual(["Ann", "Bob", "Cat", "Dan", "Fay"]);
    expect(both({}, LDS)).toEqual(["Eve"]);
    expect(isStoreCustomer(db, LDN, ids.fay)).toBe(true);
    expect(isStoreCustomer(db, LDN, ids.eve)).toBe(false);
  });

  it("keeps per-store figures: spend net of returns, returns not counted as purchases", () => {
    const dan = queryStoreCustomers(db, LDN, base, { now: NOW }).rows.find((r) => r.firstName === "Dan")!;
    expect(dan).toMatchObject({ orderCount: 1, spend: 0, lastPurchaseAt: day(20) });
    const eve = queryStoreCustomers(db, LDS, base, { now: NOW }).rows[0];
    expect(eve).toMatchObject({ orderCount: 1, spend: 8900, lastPurchaseAt: day(5), lastSeenAt: day(150) });
    const fay = queryStoreCustomers(db, LDN, base, { now: NOW }).rows.find((r) => r.firstName === "Fay")!;
    expect(fay).toMatchObject({ orderCount: 0, lastPurchaseAt: null, associate: { id: associateId, name: "Sam Patel" } });
  });

  it("filters by tier", () => expect(both({ tier: "Gold" })).toEqual(["Ann", "Cat"]));
  it("filters by last purchase between two days, inclusive", () => {
    expect(both({ from: "2026-01-20", to: "2026-01-20" })).toEqual(["Bob", "Cat", "Dan"]);
    expect(both({ from: "2026-02-01" })).toEqual(["Ann"]);
    expect(both({ to: "2026-01-19" })).toEqual([]);
  });
  it("filters by spend between, in pounds", () => {
    expect(both({ minSpend: 39, maxSpend: 89 })).toEqual(["Ann", "Bob", "Cat"]);
    expect(both({ minSpend: 40 })).toEqual(["Ann", "Bob"]);
    expect(both({ maxSpend: 0 })).toEqual(["Dan", "Fay"]);
  });
  it("filters by category and collection bought at this store", () => {
    expect(both({ category: "Candles" })).toEqual(["Ann"]);
    expect(both({ collection: "Aalto" })).toEqual(["Ann"]);
    expect(both({ category: "Candles" }, LDS)).toEqual([]);
    // Dan returned his top: a return is not a purchase of the category… but his earlier sale was.
    expect(both({ category: "Tops" })).toEqual(["Ann", "Cat", "Dan"]);
  });
  it("filters by assigned associate", () => expect(both({ associate: associateId })).toEqual(["Bob", "Fay"]));
  it("filters by consent per channel", () => {
    expect(both({ consent: "email" })).toEqual(["Ann", "Dan"]);
    expect(both({ consent: "sms" })).toEqual(["Bob"]);
    expect(both({ consent: "post" })).toEqual(["Ann", "Fay"]);
  });
  it("filters by not seen for N days (any channel)", () => {
    // NOW is 30 June; Ann last bought 9 Feb (141 days), the others in January, Fay never.
    expect(both({ notSeen: 150 })).toEqual(["Bob", "Cat", "Dan", "Fay"]);
    expect(both({ notSeen: 100 })).toEqual(["Ann", "Bob", "Cat", "Dan", "Fay"]);
    expect(both({ notSeen: 100 }, LDS)).toEqual([]);
  });
  it("combines filters", () => expect(both({ tier: "Gold", consent: "email", from: "2026-01-01" })).toEqual(["Ann"]));

  it("sorts by each key with the profile ID breaking ties", () => {
    const order = (sort: ListFilter["sort"]) => names(queryStoreCustomers(db, LDN, { sort }, { now: NOW }).rows);
    expect(order("last_purchase_desc")).toEqual(["Ann", "Dan", "Cat", "Bob", "Fay"]);
    expect(order("last_purchase_asc")).toEqual(["Fay", "Bob", "Cat", "Dan", "Ann"]);
    // Ann and Bob both spent £89, Dan and Fay nothing: the higher profile ID first when descending.
    expect(order("spend_desc")).toEqual(["Bob", "Ann", "Cat", "Fay", "Dan"]);
    expect(order("spend_asc")).toEqual(["Dan", "Fay", "Cat", "Ann", "Bob"]);
    expect(order("name_desc")).toEqual(["Fay", "Dan", "Cat", "Bob", "Ann"]);
  });

  it("pages by keyset through ties without losing or repeating anyone, in both plans", () => {
    for (const sort of ["last_purchase_desc", "last_purchase_asc", "spend_desc", "spend_asc", "name_asc"] as const) {
      for (const driveBelow of [0, Number.MAX_SAFE_INTEGER]) {
        const filter = { sort, from: "2026-01-01" };
        const all = queryStoreCustomers(db, LDN, filter, { now: NOW, driveBelow }).rows.map((r) => r.profileId);
        const seen: number[] = [];
        let after: string | undefined;
        do {
          const page = queryStoreCustomers(db, LDN, filter, { now: NOW, limit: 1, after, driveBelow });
          seen.push(...page.rows.map((r) => r.profileId));
          after = page.next ?? undefined;
        } while (after);
        expect(seen).toEqual(all);
        expect(seen).toHaveLength(4);
      }
    }
  });

  it("rejects a tampered cursor with a clear message", () => {
    expect(() => queryStoreCustomers(db, LDN, base, { after: "nonsense" })).toThrow(/out of date/);
    const numericCursor = queryStoreCustomers(db, LDN, { sort: "spend_desc" }, { limit: 1 }).next!;
    expect(() => queryStoreCustomers(db, LDN, base, { after: numericCursor })).toThrow(/out of date/);
  });

  it("offers the store's tiers, the range's categories and the store's associates", () => {
    const options = listOptions(db, LDN);
    expect(options.tiers).toEqual(["Bronze", "Gold", "Silver"]);
    expect(options.categories).toEqual(["Candles", "Jackets", "Tops"]);
    expect(options.associates).toEqual([{ id: associateId, name: "Sam Patel" }]);
  });
});

describe("list params", () => {
  it("parses a bookmarked query string and treats blanks as no filter", () => {
    const parsed = parseListParams(new URLSearchParams("store=1&tier=Gold&minSpend=&sort=spend_asc&consent=sms"));
    expect(parsed).toEqual({ ok: true, params: { store: 1, tier: "Gold", sort: "spend_asc", consent: "sms" } });
  });
  it("reports every bad field by name instead of failing", () => {
    const parsed = parseListParams({ from: "2026-13-45", minSpend: "lots", consent: "fax", sort: "random" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toHaveLength(4);
      expect(parsed.errors.join(" ")).toMatch(/Last purchase from: .*Spend from: .*Consent: .*Sort: /);
    }
    expect(parseListParams({ minSpend: "50", maxSpend: "10" })).toEqual({ ok: false, errors: ["Spend to: The lowest spend must not exceed the highest."] });
  });
});

describe("keeping the list tables right", () => {
  const snapshot = () => ({
    stats: db.select().from(storeCustomerStats).orderBy(storeCustomerStats.storeId, storeCustomerStats.profileId).all(),
    purchases: db
      .select()
      .from(storeCustomerPurchases)
      .orderBy(storeCustomerPurchases.storeId, storeCustomerPurchases.facet, storeCustomerPurchases.value, storeCustomerPurchases.profileId)
      .all(),
  });

  it("ingest, re-sent orders, consents and merges leave what a rebuild gives", () => {
    ingest(
      db,
      [
        { source: "ecom", sourceCustomerId: "w-cat", firstName: "Cat", lastName: "Cole", email: "cat@example.com" },
        { source: "ecom", sourceCustomerId: "w-gus", firstName: "Gus", email: "gus@example.com" },
      ],
      [
        order("o9", "bob", "LDS", day(60), [["CN-1", 1, 2500]]),
        // Re-sent with another store and lines.
        order("o4", "cat", "LDS", day(21), [["JK-1-M", 1, 8900]]),
        {
          source: "ecom",
          externalId: "w1",
          sourceCustomerId: "w-gus",
          channel: "online",
          placedAt: day(70),
          lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }],
        },
      ],
    );
    // The shop record was Ann's all along (re-sent with her name and email): the two profiles merge, and Ann's London figures follow.
    const merged = ingest(db, [{ source: "ecom", sourceCustomerId: "w-gus", firstName: "Ann", lastName: "Archer", email: "ann@example.com" }]).customers[0];
    expect(merged.absorbedProfileIds).toHaveLength(1);
    recordConsent(db, ids.bob, { staffId: associateId, storeId: LDN }, "email", true, day(80));
    const incremental = snapshot();
    rebuildStoreCustomerStats(db);
    expect(incremental).toEqual(snapshot());
    expect(both({ consent: "email" })).toContain("Bob");

    // A manual merge undone hands the orders back: the lists follow, as a rebuild would have them.
    const { mergeEventId } = mergeManually(db, ids.bob, merged.profileId, { staffId: null, cause: "same person" });
    unmerge(db, mergeEventId, { staffId: null, cause: "not the same person" });
    const afterUnmerge = snapshot();
    rebuildStoreCustomerStats(db);
    expect(afterUnmerge).toEqual(snapshot());
  });
});
