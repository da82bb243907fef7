import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Channel, type InteractionKind, associationRules, inventory, products, staff, stores, suggestionRules } from "@/db/schema";
import { createIngestContext } from "@/lib/identity/ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { ingestOrder } from "@/lib/ingest/orders";
import { ingest, seedBasics } from "@/lib/test/factories";
import type { RuleDefinition } from "./rank";
import { DEFAULT_RULE_MESSAGE } from "./messages";

export const DAY = 86_400_000;
/** Fixed so that spoken dates are stable: the Linen Top was bought on 3 May. */
export const NOW = Date.UTC(2026, 5, 1, 12);
export const MAY_3 = Date.UTC(2026, 4, 3, 19);

/** One product row a size of a style. */
const sized = (style: string, name: string, category: string, collection: string | null, price: number, sizes: string[]) =>
  sizes.map((size) => ({ sku: `${style}-${size}`, style, name, category, collection, size, price }));

/** Stores 1 (LDN) and 2 (LDS) from the shared factories, plus a small range of sized and one-size styles. */
export function seedShop(db: Db): { ldn: number; lds: number; staffId: number } {
  seedBasics(db);
  const extra = [
    ...sized("LT-1", "Linen Top", "Tops", "Spring Linen", 3900, ["S", "L"]),
    ...sized("JK-1", "Cotton Jacket", "Jackets", "Spring Linen", 8900, ["S", "L"]),
    ...sized("TR-1", "Wide Trousers", "Trousers", "Spring Linen", 4900, ["S", "M", "L"]),
    ...sized("TR-2", "Slim Trousers", "Trousers", null, 4500, ["S", "M", "L"]),
    ...sized("TR-3", "Cargo Trousers", "Trousers", null, 5500, ["S", "M", "L"]),
    { sku: "AD-1", style: "AD-1", name: "Aalto Dinner Service", category: "Dinnerware", collection: "Aalto", size: null, price: 14500, promoPercent: 30 },
    { sku: "AW-1", style: "AW-1", name: "Aalto Wine Glasses", category: "Glassware", collection: "Aalto", size: null, price: 3800 },
    { sku: "OLD-1", style: "OLD-1", name: "Retired Scarf", category: "Scarves", collection: null, size: null, price: 2500, active: false },
  ];
  db.insert(products)
    .values(
      extra.map((p) => ({
        department: p.category === "Dinnerware" || p.category === "Glassware" ? "home" : "womenswear",
        brand: "House",
        colour: "White",
        ...p,
      })),
    )
    .run();
  db.update(products).set({ collection: "Spring Linen" }).where(eq(products.style, "LT-1")).run();
  db.update(products).set({ collection: "Spring Linen" }).where(eq(products.style, "JK-1")).run();
  const [ldn, lds] = db
    .select({ id: stores.id })
    .from(stores)
    .orderBy(stores.id)
    .all()
    .map((s) => s.id);
  const staffId = db
    .insert(staff)
    .values({ email: "sam@test", name: "Sam", role: "associate", homeStoreId: ldn, passwordHash: "x" })
    .returning({ id: staff.id })
    .get().id;
  return { ldn, lds, staffId };
}

let customerSeq = 0;

// Different people by every measure the match model uses: "Anna Test1" and "Anna Test2" with
// emails one letter apart look like one person typed twice, and would be merged.
const FIRST_NAMES = ["Anna", "Bilal", "Chloe", "Dmitri", "Esme", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keira", "Luca"];
const SURNAMES = ["Kowalski", "Okafor", "Lindqvist", "Moreau", "Haddad", "Tanaka", "Novak", "Fischer", "Quigley", "Ramos", "Sato", "Underwood", "Vance"];

/** A customer known to the loyalty programme and the online shop; returns the profile and the keys to buy with. */
export function customer(db: Db): { profileId: number; key: string; email: string; lastName: string } {
  const n = ++customerSeq;
  const key = `C${n}`;
  const firstName = FIRST_NAMES[n % FIRST_NAMES.length];
  const lastName = SURNAMES[n % SURNAMES.length];
  const email = `${firstName}.${lastName}.${key}@example.com`.toLowerCase();
  const { customers } = ingest(db, [
    { source: "loyalty", sourceCustomerId: key, firstName, lastName, email },
    { source: "ecom", sourceCustomerId: key, firstName, lastName, email },
  ]);
  return { profileId: customers[0].profileId, key, email, lastName };
}

let orderSeq = 0;

export function buy(
  db: Db,
  who: { key: string },
  at: number,
  lines: [sku: string, quantity?: number][],
  where: { channel?: Channel; store?: "LDN" | "LDS" } = {},
): number {
  const channel = where.channel ?? (where.store ? "store" : "online");
  const source = channel === "store" ? "loyalty" : "ecom";
  const prices = new Map(
    db
      .select({ sku: products.sku, price: products.price })
      .from(products)
      .all()
      .map((p) => [p.sku, p.price]),
  );
  const result = ingestOrder(createIngestContext(db), {
    source,
    externalId: `O${++orderSeq}`,
    sourceCustomerId: who.key,
    channel,
    storeCode: where.store ?? null,
    placedAt: at,
    lines: lines.map(([sku, quantity = 1]) => ({ sku, quantity, unitPrice: prices.get(sku) ?? 1000 })),
  });
  return result.orderId;
}

let eventSeq = 0;

export function look(db: Db, who: { key: string }, kind: InteractionKind, sku: string, at: number): void {
  ingestInteraction(createIngestContext(db), { source: "ecom", externalId: `I${++eventSeq}`, sourceCustomerId: who.key, kind, sku, at });
}

export function stock(db: Db, storeId: number, quantities: Record<string, number>, updatedAt = NOW - 60 * DAY): void {
  for (const [sku, quantity] of Object.entries(quantities)) {
    const productId = db.select({ id: products.id }).from(products).where(eq(products.sku, sku)).get()!.id;
    db.insert(inventory)
      .values({ storeId, productId, quantity, updatedAt })
      .onConflictDoUpdate({ target: [inventory.storeId, inventory.productId], set: { quantity, updatedAt } })
      .run();
  }
}

export function unstock(db: Db, storeId: number, sku: string): void {
  const productId = db.select({ id: products.id }).from(products).where(eq(products.sku, sku)).get()!.id;
  db.delete(inventory)
    .where(and(eq(inventory.storeId, storeId), eq(inventory.productId, productId)))
    .run();
}

/** Mined pairs of one anchor, as mining stores them; the anchor is taken to be in a tenth of the baskets. */
export function associate(db: Db, anchorStyle: string, pairs: [suggestStyle: string, confidence: number, lift: number][]): void {
  db.insert(associationRules)
    .values(
      pairs.map(([suggestStyle, confidence, lift], i) => ({
        anchorStyle,
        suggestStyle,
        confidence,
        lift,
        support: confidence / 10,
        rank: i + 1,
        minedAt: NOW,
      })),
    )
    .run();
}

export function ruleDefinition(overrides: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    id: null,
    name: "Tops with trousers",
    anchorKind: "category",
    anchorValue: "Tops",
    withinDays: 60,
    targetKind: "category",
    targetValue: "Trousers",
    priority: 50,
    storeIds: null,
    activeFrom: null,
    activeTo: null,
    message: DEFAULT_RULE_MESSAGE,
    ...overrides,
  };
}

export function saveRule(db: Db, overrides: Partial<RuleDefinition> & { status?: "draft" | "published" | "inactive" } = {}): number {
  const { id: _id, status = "published", ...rule } = { ...ruleDefinition(), ...overrides };
  return db
    .insert(suggestionRules)
    .values({ ...rule, status, createdAt: NOW - 30 * DAY, updatedAt: NOW - 30 * DAY })
    .returning({ id: suggestionRules.id })
    .get().id;
}
