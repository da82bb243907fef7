import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, inTransaction } from "@/db/client";
import { profiles } from "@/db/schema";
import { ingest, seedBasics, tempDatabase } from "@/lib/test/factories";
import { type CustomerRecordInput, createIngestContext, ingestCustomerRecord, withDeferredRefresh } from "@/lib/identity/ingest";
import { type OrderInput, ingestOrder } from "./orders";

let t: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  t = tempDatabase();
  seedBasics(t.db);
});
afterEach(() => t.cleanup());

const customers: CustomerRecordInput[] = [
  { source: "pos", sourceCustomerId: "P1", firstName: "Ada", lastName: "Lovelace", phone: "07412 345678" },
  { source: "ecom", sourceCustomerId: "E1", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
  { source: "pos", sourceCustomerId: "P2", firstName: "Bo", phone: "07412 999888" },
  // Bridges P1 and E1: their profiles merge part-way through the orders below.
  { source: "ecom", sourceCustomerId: "E2", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", phone: "+44 7412 345678" },
];
const order = (externalId: string, customer: string, source: "pos" | "ecom", placedAt: number, quantity = 1): OrderInput => ({
  source,
  externalId,
  sourceCustomerId: customer,
  channel: source === "pos" ? "store" : "online",
  storeCode: source === "pos" ? "LDN" : null,
  placedAt,
  lines: [{ sku: "LT-1-M", quantity, unitPrice: 3900 }],
});

function stats(db: Db) {
  return db
    .select({ id: profiles.id, spend: profiles.lifetimeSpend, orders: profiles.orderCount, last: profiles.lastPurchaseAt })
    .from(profiles)
    .orderBy(profiles.id)
    .all();
}

function load(db: Db, deferred: boolean) {
  const ctx = createIngestContext(db, () => 1_000);
  const run = () => {
    ingestCustomerRecord(ctx, customers[0]);
    ingestCustomerRecord(ctx, customers[1]);
    ingestCustomerRecord(ctx, customers[2]);
    ingestOrder(ctx, order("S1", "P1", "pos", 100));
    ingestOrder(ctx, order("W1", "E1", "ecom", 300));
    ingestOrder(ctx, order("S1-R", "P1", "pos", 400, -1));
    ingestCustomerRecord(ctx, customers[3]);
    ingestOrder(ctx, order("S2", "P2", "pos", 200));
    ingestOrder(ctx, order("W2", "E2", "ecom", 500));
  };
  inTransaction(db, () => (deferred ? withDeferredRefresh(ctx, run) : run()));
}

describe("profile statistics", () => {
  it("are the same whether a bulk load defers them or not, merges included", () => {
    load(t.db, false);
    const direct = stats(t.db);
    const other = tempDatabase();
    try {
      seedBasics(other.db);
      load(other.db, true);
      expect(stats(other.db)).toEqual(direct);
    } finally {
      other.cleanup();
    }
    const ada = direct.find((p) => p.spend === 3 * 3900 - 3900)!;
    expect(ada).toMatchObject({ orders: 3, last: 500 });
  });

  it("follow a re-sent order to another customer, on both profiles", () => {
    const {
      customers: [a, , b],
    } = ingest(t.db, customers.slice(0, 3), [order("S9", "P1", "pos", 100)]);
    expect(stats(t.db).find((p) => p.id === a.profileId)).toMatchObject({ spend: 3900, orders: 1, last: 100 });
    ingest(t.db, [], [order("S9", "P2", "pos", 150, 2)]);
    expect(stats(t.db).find((p) => p.id === a.profileId)).toMatchObject({ spend: 0, orders: 0, last: null });
    expect(stats(t.db).find((p) => p.id === b.profileId)).toMatchObject({ spend: 7800, orders: 1, last: 150 });
  });
});
