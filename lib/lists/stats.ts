import { type SQL, and, count, eq, getTableColumns, getTableName, gt, gte, isNotNull, lt, max, sql } from "drizzle-orm";
import { RowWriter, dropIndexes, restoreSchema, storeOrderLines, withTempTable } from "@/db/bulk";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { countWhere, greaterOf, jsonFlag, lesserOf, unindexed } from "@/db/dialect";
import { withPageCache } from "@/db/maintenance";
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import {
  PURCHASE_FACETS,
  type PurchaseFacet,
  customerAssignments,
  orderLines,
  orders,
  products,
  profiles,
  storeCustomerPurchases,
  storeCustomerStats,
  stores,
} from "@/db/schema";
import type { LoadedOrders } from "./loaded-orders";

/*
 * store_customer_stats and store_customer_purchases are derived from orders, order lines and
 * assignments. Three ways keep them right: a full rebuild (after bulk loads that bypass ingest, and
 * on start when empty), one call per ingested order (recordStoreCustomerOrder), and the triggers on
 * profiles (migration 0007) for copied golden fields and merges.
 */

/** The copies of golden-profile fields; the same expressions as the triggers in migration 0007. */
const profileCopies = {
  lastSeenAt: sql<number>`coalesce(${profiles.lastPurchaseAt}, 0)`,
  sortName: sql<string>`lower(trim(coalesce(${profiles.lastName}, '') || ' ' || coalesce(${profiles.firstName}, '')))`,
  tier: profiles.tier,
  consentEmail: jsonFlag(profiles.consents, "$.email.granted"),
  consentSms: jsonFlag(profiles.consents, "$.sms.granted"),
  consentPost: jsonFlag(profiles.consents, "$.post.granted"),
};

/** Returns lower the spend but are not purchases: the dates and the count follow positive orders only, as profiles' own statistics do. */
const purchasedAt = sql<number>`case when ${orders.total} > 0 then ${orders.placedAt} else 0 end`;

/** Folds one more order (or another row's figures) into a row: 0 means "no purchase yet". */
const foldFigures = {
  firstPurchaseAt: sql`case when excluded.first_purchase_at = 0 then ${storeCustomerStats.firstPurchaseAt} when ${storeCustomerStats.firstPurchaseAt} = 0 then excluded.first_purchase_at else ${lesserOf(storeCustomerStats.firstPurchaseAt, sql`excluded.first_purchase_at`)} end`,
  lastPurchaseAt: greaterOf(storeCustomerStats.lastPurchaseAt, sql`excluded.last_purchase_at`),
  orderCount: sql`${storeCustomerStats.orderCount} + excluded.order_count`,
  spend: sql`${storeCustomerStats.spend} + excluded.spend`,
};

/** Inserts the rows of every customer, or of one (`profileId`), from scratch; every customer's from a bulk load's orders when given. */
function insertFigures(db: Db, profileId?: number, loaded?: LoadedOrders) {
  const scope = profileId === undefined ? undefined : eq(orders.profileId, profileId);
  if (loaded) insertLoadedFigures(db, loaded);
  else db.insert(storeCustomerStats).select(figuresOf(db, scope)).run();
  // Assigned to an associate here but never bought here: still on the store's list.
  db.insert(storeCustomerStats)
    .select(
      db
        .select({
          storeId: customerAssignments.storeId,
          profileId: customerAssignments.profileId,
          firstPurchaseAt: sql<number>`0`.as("first_purchase_at"),
          lastPurchaseAt: sql<number>`0`.as("last_purchase_at"),
          orderCount: sql<number>`0`.as("order_count"),
          spend: sql<number>`0`.as("spend"),
          ...aliasCopies(),
        })
        .from(customerAssignments)
        .innerJoin(profiles, eq(profiles.id, customerAssignments.profileId))
        .where(profileId === undefined ? undefined : eq(customerAssignments.profileId, profileId)),
    )
    .onConflictDoNothing()
    .run();
  if (loaded) insertAllPurchases(db, loaded.storeLines(), loaded.lineCount);
  else if (scope === undefined) insertAllPurchases(db, storeOrderLines(db), largestId(db, orderLines));
  else for (const facet of PURCHASE_FACETS) insertPurchases(db, facet, scope).run();
}

const largestId = (db: Db, table: typeof profiles | typeof stores | typeof orderLines) =>
  db
    .select({ n: max(table.id) })
    .from(table)
    .get()?.n ?? 0;

/** Where insertLoadedFigures puts each customer's figures per store before they join their profile's copied fields. */
const loadedFigures = sqliteTable("loaded_list_figures", {
  storeId: integer("store_id").notNull(),
  profileId: integer("profile_id").notNull(),
  firstPurchaseAt: integer("first_purchase_at").notNull(),
  lastPurchaseAt: integer("last_purchase_at").notNull(),
  orderCount: integer("order_count").notNull(),
  spend: integer("spend").notNull(),
});

/**
 * What figuresOf selects, from a bulk load's orders in memory: each customer's figures per store
 * folded order by order (in a temporary table, in the list's key order), then joined to the profile
 * for the copied fields in the same SQL expressions.
 */
function insertLoadedFigures(db: Db, loaded: LoadedOrders) {
  const profileSpan = largestId(db, profiles) + 1;
  const slots = new Map<number, number>();
  const first: number[] = [];
  const last: number[] = [];
  const counts: number[] = [];
  const spends: number[] = [];
  for (const [storeId, profileId, placedAt, total] of loaded.orders()) {
    const key = storeId * profileSpan + profileId;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = first.length;
      slots.set(key, slot);
      first.push(0);
      last.push(-Infinity);
      counts.push(0);
      spends.push(0);
    }
    // As purchasedAt: a return is not a purchase, and 0 means none yet.
    const purchasedAt = total > 0 ? placedAt : 0;
    if (purchasedAt !== 0 && (first[slot] === 0 || purchasedAt < first[slot])) first[slot] = purchasedAt;
    if (purchasedAt > last[slot]) last[slot] = purchasedAt;
    if (total > 0) counts[slot]++;
    spends[slot] += total;
  }
  const keys = Float64Array.from(slots.keys()).sort();
  const table = getTableName(loadedFigures);
  const figures = getTableColumns(loadedFigures);
  const columns = Object.values(figures).map((c) => c.name);
  withTempTable(db, table, columns.map((c) => `${c} integer not null`).join(", "), () => {
    const writer = new RowWriter(db, table, columns);
    for (const key of keys) {
      const profileId = key % profileSpan;
      const slot = slots.get(key)!;
      writer.add([(key - profileId) / profileSpan, profileId, first[slot], last[slot], counts[slot], spends[slot]]);
    }
    writer.flush();
    db.insert(storeCustomerStats)
      .select(
        db
          // Its columns are store_customer_stats' first six, in their order.
          .select({ ...figures, ...aliasCopies() })
          // Cross: the figures in their table's order (the list's key order), each looking up its profile.
          .from(loadedFigures)
          .crossJoin(profiles)
          .where(eq(profiles.id, loadedFigures.profileId)),
      )
      .run();
  });
}

/**
 * Every customer's purchases (the rebuild). Each positive order line is read once, in row order, and
 * each of its product's facet values becomes one number packing (store, facet value, profile) in the
 * table's key order; the numbers are sorted, and each written once, in key order. The same rows in
 * one SQL statement (each line joined to both facets, GROUP BY on text) spent most of its minute at
 * a million profiles sorting 19 million rows by their strings.
 */
function insertAllPurchases(db: Db, lines: Iterable<[number, number, number]>, lineCount: number) {
  const facetValues: { facet: PurchaseFacet; value: string }[] = [];
  const valueIndex = new Map<string, number>();
  const productRows = db.select({ id: products.id, category: products.category, collection: products.collection }).from(products).all();
  for (const facet of PURCHASE_FACETS)
    for (const value of [...new Set(productRows.map((p) => p[facet]).filter((v) => v !== null))].sort()) {
      valueIndex.set(`${facet}\u0000${value}`, facetValues.length);
      facetValues.push({ facet, value });
    }
  const productValues = new Map(productRows.map((p) => [p.id, PURCHASE_FACETS.flatMap((f) => (p[f] === null ? [] : [valueIndex.get(`${f}\u0000${p[f]}`)!]))]));
  const profileSpan = largestId(db, profiles) + 1;
  const valueSpan = Math.max(1, facetValues.length);
  const storeSpan = largestId(db, stores) + 1;
  // One double holds the three exactly while their product stays below 2^53: far beyond any chain.
  if (storeSpan * valueSpan * profileSpan > Number.MAX_SAFE_INTEGER)
    throw new Error("Too many stores, facet values and profiles to rebuild the customer lists");

  // Sized once, for every line with a value per facet: growing it as it fills cost a full garbage
  // collection per step in the generator, whose heap is gigabytes.
  const keys = new Float64Array(lineCount * PURCHASE_FACETS.length);
  let n = 0;
  for (const [storeId, profileId, productId] of lines) {
    const values = productValues.get(productId);
    if (!values) continue;
    for (const v of values) keys[n++] = (storeId * valueSpan + v) * profileSpan + profileId;
  }
  const sorted = keys.subarray(0, n).sort();
  const writer = new RowWriter(db, getTableName(storeCustomerPurchases), ["store_id", "facet", "value", "profile_id"]);
  for (let i = 0; i < n; i++) {
    const key = sorted[i];
    if (i > 0 && key === sorted[i - 1]) continue;
    const profileId = key % profileSpan;
    const rest = (key - profileId) / profileSpan;
    const v = rest % valueSpan;
    writer.add([(rest - v) / valueSpan, facetValues[v].facet, facetValues[v].value, profileId]);
  }
  writer.flush();
}
/**
/**

/** Each customer's figures per store from the orders in scope, with the copied profile fields. */
function figuresOf(db: Db, scope: SQL | undefined) {
  return (
    db
      .select({
        storeId: sql<number>`${orders.storeId}`.as("store_id"),
        profileId: sql<number>`${orders.profileId}`.as("profile_id"),
        firstPurchaseAt: sql<number>`coalesce(min(nullif(${purchasedAt}, 0)), 0)`.as("first_purchase_at"),
        lastPurchaseAt: sql<number>`max(${purchasedAt})`.as("last_purchase_at"),
        orderCount: countWhere(gt(orders.total, 0)).as("order_count"),
        spend: sql<number>`sum(${orders.total})`.as("spend"),
        ...aliasCopies(),
      })
      .from(orders)
      .innerJoin(profiles, eq(profiles.id, orders.profileId))
      // Unary + keeps SQLite off the (store, date) index: one pass over orders in row order beats a random read per order.
      .where(and(isNotNull(unindexed(orders.storeId)), scope))
      // Every order (the rebuild): grouped by a sort, as the + in GROUP BY asks. Otherwise the planner
      // walks that index after all to spare the sort, and the random reads cost 2.5 times the CPU
      // (200,000 people). Same rows, in the same order: the sort's.
      .groupBy(scope === undefined ? unindexed(orders.storeId) : orders.storeId, orders.profileId)
  );
}

/**
 * Folds the new orders with IDs from `from` up to `to` (excluded) into the list figures at once, as
 * recordStoreCustomerOrder folds them one by one: a bulk load of new orders (lib/ingest/orders-bulk.ts).
 */
export function foldNewOrders(db: Db, from: number, to: number): void {
  const scope = and(gte(orders.id, from), lt(orders.id, to));
  db.insert(storeCustomerStats)
    .select(figuresOf(db, scope))
    .onConflictDoUpdate({ target: [storeCustomerStats.storeId, storeCustomerStats.profileId], set: foldFigures })
    .run();
  for (const facet of PURCHASE_FACETS) insertPurchases(db, facet, scope).run();
}

function aliasCopies() {
  return {
    lastSeenAt: profileCopies.lastSeenAt.as("last_seen_at"),
    sortName: profileCopies.sortName.as("sort_name"),
    tier: sql<string | null>`${profiles.tier}`.as("tier"),
    consentEmail: profileCopies.consentEmail.as("consent_email"),
    consentSms: profileCopies.consentSms.as("consent_sms"),
    consentPost: profileCopies.consentPost.as("consent_post"),
  };
}

/** Which categories or collections the orders in scope bought, per store and customer; returns are not purchases. */
function insertPurchases(db: Db, facet: PurchaseFacet, scope: SQL | undefined) {
  const value = facet === "category" ? products.category : products.collection;
  return db
    .insert(storeCustomerPurchases)
    .select(
      db
        .selectDistinct({
          storeId: sql<number>`${orders.storeId}`.as("store_id"),
          facet: sql<PurchaseFacet>`${facet}`.as("facet"),
          value: sql<string>`${value}`.as("value"),
          profileId: sql<number>`${orders.profileId}`.as("profile_id"),
        })
        .from(orders)
        .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
        .innerJoin(products, eq(products.id, orderLines.productId))
        .where(and(isNotNull(orders.storeId), isNotNull(orders.profileId), isNotNull(value), gt(orderLines.quantity, 0), scope)),
    )
    .onConflictDoNothing();
}

/** Page cache for a rebuild: it reads every order and line once and writes two large indexes. */
const REBUILD_CACHE_KIB = 1_048_576;

/**
 * Recomputes both tables from orders and assignments. Minutes at a million profiles; run after bulk
 * loads. `loaded`: every order the store holds, as the bulk load that wrote them kept them (its
 * profiles relinked to merges' survivors), read instead of the store's orders.
 */
export function rebuildStoreCustomerStats(db: Db, loaded?: LoadedOrders): { rows: number; purchases: number } {
  return withPageCache(db, REBUILD_CACHE_KIB, () => rebuildInTransaction(db, loaded));
}

function rebuildInTransaction(db: Db, loaded: LoadedOrders | undefined): { rows: number; purchases: number } {
  return inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- a rebuild recomputes every row
    db.delete(storeCustomerPurchases).run();
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- a rebuild recomputes every row
    db.delete(storeCustomerStats).run();
    // Every row at once: the secondary indexes are built after them, sorting once instead of taking
    // the rows key by key (store_customer_stats has six).
    const indexes = dropIndexes(db, [getTableName(storeCustomerStats), getTableName(storeCustomerPurchases)]);
    insertFigures(db, undefined, loaded);
    restoreSchema(db, indexes);
    // Fresh planner statistics: the list chooses between its sort and filter indexes on them.
    db.run(sql`analyze ${storeCustomerStats}`);
    db.run(sql`analyze ${storeCustomerPurchases}`);
    return {
      rows: db.select({ n: count() }).from(storeCustomerStats).get()!.n,
      purchases: db.select({ n: count() }).from(storeCustomerPurchases).get()!.n,
    };
  });
}

/** Recomputes one customer's rows in every store, e.g. after an order was re-sent with other lines or store. */
export function refreshStoreCustomer(db: Db, profileId: number): void {
  db.delete(storeCustomerPurchases).where(eq(storeCustomerPurchases.profileId, profileId)).run();
  db.delete(storeCustomerStats).where(eq(storeCustomerStats.profileId, profileId)).run();
  insertFigures(db, profileId);
}

export function isStoreCustomerStatsEmpty(db: Db): boolean {
  return (
    db
      .select({ one: sql`1` })
      .from(storeCustomerStats)
      .limit(1)
      .get() === undefined
  );
}

const foldOrderFor = perConnection(prepareFoldOrder);

function prepareFoldOrder(db: Db) {
  const orderId = sql.placeholder("orderId");
  return {
    figures: db
      .insert(storeCustomerStats)
      .select(
        db
          .select({
            storeId: sql<number>`${orders.storeId}`.as("store_id"),
            profileId: sql<number>`${orders.profileId}`.as("profile_id"),
            firstPurchaseAt: purchasedAt.as("first_purchase_at"),
            lastPurchaseAt: purchasedAt.as("last_purchase_at"),
            orderCount: sql<number>`${orders.total} > 0`.as("order_count"),
            spend: sql<number>`${orders.total}`.as("spend"),
            ...aliasCopies(),
          })
          .from(orders)
          .innerJoin(profiles, eq(profiles.id, orders.profileId))
          .where(and(eq(orders.id, orderId), isNotNull(orders.storeId))),
      )
      .onConflictDoUpdate({ target: [storeCustomerStats.storeId, storeCustomerStats.profileId], set: foldFigures })
      .prepare(),
    purchases: PURCHASE_FACETS.map((facet) => insertPurchases(db, facet, eq(orders.id, orderId)).prepare()),
  };
}

/**
 * Called by ingestOrder for every order it writes. A new order folds into its store row in two
 * prepared statements (no re-read of history), so bulk loads keep the tables right as they go; a
 * re-sent order may have changed store, lines or total, so its customer is recomputed instead.
 */
export function recordStoreCustomerOrder(db: Db, order: { orderId: number; profileId: number | null; replaced: boolean }): void {
  if (order.profileId === null) return;
  if (order.replaced) return refreshStoreCustomer(db, order.profileId);
  const fold = foldOrderFor(db);
  fold.figures.run({ orderId: order.orderId });
  for (const purchases of fold.purchases) purchases.run({ orderId: order.orderId });
}
