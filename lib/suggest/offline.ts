// What the offline evaluation (scripts/eval-suggest.ts) reads from and writes to a database: every
// customer at once, where the engine's loaders read one profile at a time.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { interactions, orderLines, orders, products, sourceCustomers, sources, stores } from "@/db/schema";
import { INTEREST_COLUMNS, PURCHASE_COLUMNS } from "./engine";
import type { Purchase } from "./rank";

export type EvaluationLine = Purchase & { orderId: number; profileId: number | null };

/** Every purchased line of every order, customer by customer in time order. */
export function allPurchaseLines(db: Db): EvaluationLine[] {
  return db
    .select({ orderId: orders.id, profileId: orders.profileId, ...PURCHASE_COLUMNS })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .leftJoin(stores, eq(stores.id, orders.storeId))
    .orderBy(orders.profileId, orders.placedAt, orders.id)
    .all();
}

/** The whole catalogue, one row a SKU. */
export function catalogueRows(db: Db) {
  return db
    .select({
      sku: products.sku,
      style: products.style,
      name: products.name,
      category: products.category,
      collection: products.collection,
      brand: products.brand,
    })
    .from(products)
    .all();
}

/** Every browsing event tied to a profile, with the product and the source it came from. */
export function profileInteractions(db: Db) {
  return db
    .select({ profileId: interactions.profileId, ...INTEREST_COLUMNS })
    .from(interactions)
    .innerJoin(products, eq(products.id, interactions.productId))
    .innerJoin(sources, eq(sources.id, interactions.sourceId))
    .where(isNotNull(interactions.profileId))
    .all();
}

/** The one store of a shop loaded for evaluation; its id. */
export function addEvaluationStore(db: Db): number {
  return db.insert(stores).values({ code: "SHOP", name: "The shop", city: "London" }).returning({ id: stores.id }).get().id;
}

/** Looks up the profile a source's customer id resolved to, through one prepared statement. */
export function profileLookup(db: Db, source: string): (sourceCustomerId: string) => number | undefined {
  const byCustomer = db
    .select({ profileId: sourceCustomers.profileId })
    .from(sourceCustomers)
    .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
    .where(and(eq(sources.name, source), eq(sourceCustomers.sourceCustomerId, sql.placeholder("id"))))
    .prepare();
  return (id) => byCustomer.get({ id })?.profileId;
}
