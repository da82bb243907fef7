import type { Db } from "@/db/client";
import { customerAssignments, products, staff } from "@/db/schema";
import type { OrderInput } from "@/lib/ingest/orders";
import { ingest, seedBasics } from "@/lib/test/factories";
import { rebuildStoreCustomerStats } from "./stats";

export const LDN = 1;
export const LDS = 2;
export const NOW = Date.UTC(2026, 5, 30);
export const day = (d: number) => Date.UTC(2026, 0, d);

export const order = (ext: string, customer: string, store: string | null, placedAt: number, lines: [string, number, number][]): OrderInput => ({
  source: "pos",
  externalId: ext,
  sourceCustomerId: customer,
  channel: store ? "store" : "online",
  storeCode: store,
  placedAt,
  lines: lines.map(([sku, quantity, unitPrice]) => ({ sku, quantity, unitPrice })),
});

/** Six customers of two stores with known tiers, consents, purchases and one associate's client book. */
export function seedListStores(db: Db): { ids: Record<string, number>; associateId: number } {
  seedBasics(db);
  db.insert(products)
    .values({ sku: "CN-1", style: "CN-1", name: "Fig Candle", category: "Candles", department: "home", collection: "Aalto", brand: "House", price: 2500 })
    .run();
  const people: { id: string; firstName: string; lastName: string; tier: string | null; consents: Record<string, boolean> }[] = [
    { id: "ann", firstName: "Ann", lastName: "Archer", tier: "Gold", consents: { email: true, sms: false, post: true } },
    { id: "bob", firstName: "Bob", lastName: "Baker", tier: "Silver", consents: { email: false, sms: true } },
    { id: "cat", firstName: "Cat", lastName: "Cole", tier: "Gold", consents: {} },
    { id: "dan", firstName: "Dan", lastName: "Dale", tier: "Bronze", consents: { email: true } },
    { id: "eve", firstName: "Eve", lastName: "Evans", tier: "Bronze", consents: { email: true } },
    { id: "fay", firstName: "Fay", lastName: "Ford", tier: null, consents: { post: true } },
  ];
  const res = ingest(
    db,
    people.map((p) => ({
      source: "pos",
      sourceCustomerId: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      tier: p.tier,
      consents: p.consents,
      email: `${p.id}@example.com`,
    })),
    [
      order("o1", "ann", "LDN", day(10), [["LT-1-M", 1, 3900]]),
      order("o2", "ann", "LDN", day(40), [["CN-1", 2, 2500]]),
      order("o3", "bob", "LDN", day(20), [["JK-1-M", 1, 8900]]),
      order("o4", "cat", "LDN", day(20), [["LT-1-M", 1, 3900]]),
      order("o5", "dan", "LDN", day(20), [["LT-1-M", 1, 3900]]),
      order("o6", "dan", "LDN", day(25), [["LT-1-M", -1, 3900]]),
      order("o7", "eve", "LDS", day(5), [["JK-1-M", 1, 8900]]),
      order("o8", "eve", null, day(150), [["CN-1", 1, 2500]]),
    ],
  );
  const ids: Record<string, number> = Object.fromEntries(res.customers.map((c, i) => [people[i].id, c.profileId]));
  const associateId = db
    .insert(staff)
    .values({ email: "sam@x", name: "Sam Patel", role: "associate", homeStoreId: LDN, passwordHash: "x" })
    .returning()
    .get().id;
  // Fay never bought in London but is in Sam's client book there, so she is on London's list.
  db.insert(customerAssignments)
    .values([
      { storeId: LDN, profileId: ids.fay, staffId: associateId, assignedAt: day(1) },
      { storeId: LDN, profileId: ids.bob, staffId: associateId, assignedAt: day(1) },
    ])
    .run();
  rebuildStoreCustomerStats(db);
  return { ids, associateId };
}
