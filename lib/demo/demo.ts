import bcrypt from "bcryptjs";
import { count, eq, isNull } from "drizzle-orm";
import { type Db, inTransaction } from "@/db/client";
import { inBulkTransaction } from "@/db/bulk";
import { BulkLoad, CUSTOMER_TABLES } from "@/lib/identity/bulk";
import { type LooseSplit, settleJoins, splitLooseGroups } from "@/lib/identity/duplicates";
import type { LoadedOrders } from "@/lib/lists/loaded-orders";
import { rebuildStoreCustomerStats } from "@/lib/lists/stats";
import { inventory, mergeEvents, products, profiles, settings, sources, staff, stores } from "@/db/schema";
import { type CustomerRecordInput, type IngestContext, createIngestContext, ingestCustomerRecord, withDeferredRefresh } from "@/lib/identity/ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { ingestOrder } from "@/lib/ingest/orders";
import { normalizeEmail, normalizePhone } from "@/lib/identity/normalize";
import { IDENTITY_SETTINGS_KEY, saveIdentitySettings } from "@/lib/identity/settings";
import { REFERENCE_NOW } from "./calendar";
import { type Catalogue, buildCatalogue, categorySlug, storeStock } from "./catalogue";
import { SOURCES, STAFF, STORES } from "./chain";
import { type DrawnPerson, activityBatches } from "./activity";
import { activityBatchesInWorker } from "./activity-feed";
import { type Activity, DEMO_CUSTOMER_COUNT } from "./demo-customers";
import { PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES, SPARE_TILL_CARD } from "./people";
import { Random } from "./random";

export { DEMO_CUSTOMERS } from "./demo-customers";

export const DEFAULT_SEED = 1;
const BCRYPT_COST = 10;

export type SeedOptions = {
  profiles: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  /** Told the true person behind every customer record (the generator's side file for eval:identity). */
  onPerson?: (person: number, records: CustomerRecordInput[]) => void;
  /** Told as each step of the load begins ("people", "indexes"…), for the generator to time them. */
  onPhase?: (phase: string) => void;
  /** bulk (the default): resolved in memory and written in one transaction, indexes after the rows; incremental: record by record, as an import into a full store. Same store either way. */
  path?: "bulk" | "incremental";
  /** Draw the people on a worker thread while this one loads them (the generator); the same people either way. */
  drawInWorker?: boolean;
};

/** What the generator writes in bulk: customers with their orders, lines and browsing. */
const GENERATED_TABLES = [...CUSTOMER_TABLES, "orders", "order_lines", "interactions"];

export type SeedSummary = {
  /** People generated (including the demo customers); linking makes them `profiles`. */
  people: number;
  profiles: number;
  merges: number;
  /** Groups of records split off after the load: joined on a name and a postcode, and no longer held by what came after (settleJoins). */
  splits: number;
  sourceRecords: number;
  orders: number;
  orderLines: number;
  interactions: number;
  products: number;
  elapsedMs: number;
};

/** True when the database holds a chain already (demo or real): seeding is for empty files only. */
export function isSeeded(db: Db): boolean {
  return [sources, stores, staff].some((table) => db.select({ n: count() }).from(table).get()!.n > 0);
}

/**
 * Loads the demo chain into an empty database: sources, stores, the range and its stock, staff,
 * identity settings, then `profiles` people with their records in each source system, orders,
 * returns and browsing, all sent through the product's own ingest path. Same seed, same data.
 */
export function seedDemo(db: Db, options: SeedOptions): SeedSummary {
  if (isSeeded(db)) throw new Error("This database already holds a chain; the demo is loaded into an empty file only.");
  const started = performance.now();
  const total = Math.max(DEMO_CUSTOMER_COUNT, options.profiles);
  const seed = options.seed ?? DEFAULT_SEED;
  // Started first, so the worker draws while the chain is written.
  const batches = options.drawInWorker ? activityBatchesInWorker(total, seed) : activityBatches(total, seed);
  const catalogue = buildCatalogue();
  inTransaction(db, () => seedChain(db, catalogue));

  const ctx = createIngestContext(db, () => REFERENCE_NOW);
  const totals = { sourceRecords: 0, orders: 0, orderLines: 0, interactions: 0 };
  let done = 0;
  /** Each batch's people, told to onPerson, then loaded by `load`; progress after each batch. */
  const loadBatch = (batch: DrawnPerson[], load: (drawn: DrawnPerson) => void) => {
    for (const { person, activity } of batch) options.onPerson?.(person, activity.records);
    for (const drawn of batch) {
      load(drawn);
      const { activity } = drawn;
      totals.sourceRecords += activity.records.length;
      totals.orders += activity.orders.length;
      for (const order of activity.orders) totals.orderLines += order.lines.length;
      totals.interactions += activity.interactions.length;
    }
    done += batch.length;
    options.onProgress?.(done, total);
  };

  let splits = 0;
  if (options.path === "incremental") {
    const ingest = ({ activity }: DrawnPerson) => ingestActivity(ctx, activity);
    for (const batch of batches) inTransaction(db, () => withDeferredRefresh(ctx, () => loadBatch(batch, ingest)));
    splits = settleJoins(ctx).split;
  } else {
    const phase = options.onPhase ?? (() => {});
    const { orders, loose } = bulkLoadPeople(db, ctx, batches, loadBatch, phase);
    phase("list statistics");
    // The per-store list figures the incremental path keeps order by order, built once from all orders.
    rebuildStoreCustomerStats(db, orders ?? undefined);
    phase("joined records weighed again");
    splits = splitLooseGroups(db, ctx.model, ctx.settings, loose, REFERENCE_NOW).split;
  }

  return {
    people: total,
    profiles: db.select({ n: count() }).from(profiles).where(isNull(profiles.mergedInto)).get()!.n,
    merges: db.select({ n: count() }).from(mergeEvents).where(eq(mergeEvents.kind, "merge")).get()!.n,
    splits,
    ...totals,
    products: catalogue.styles.reduce((n, s) => n + s.skus.length, 0),
    elapsedMs: performance.now() - started,
  };
}

/**
 * The people through one BulkLoad, in one transaction. A function of its own so that the load, which
 * holds every record and key it wrote (gigabytes at a million people), can be collected before the
 * list statistics are built: alive, it made each of their garbage collections walk all of it. What
 * it returns, the orders it wrote for the lists, is kept off the heap; beside them, the groups of
 * records that no longer belong where the load put them (BulkLoad.looseGroups), split off once the lists are built.
 */
function bulkLoadPeople(
  db: Db,
  ctx: IngestContext,
  batches: Iterable<DrawnPerson[]>,
  loadBatch: (batch: DrawnPerson[], load: (drawn: DrawnPerson) => void) => void,
  phase: (name: string) => void,
): { orders: LoadedOrders | null; loose: LooseSplit[] } {
  const load = new BulkLoad(ctx);
  let loose: LooseSplit[] = [];
  const add = ({ activity, stored }: DrawnPerson) => {
    activity.records.forEach((record, i) => load.add(record, stored[i]));
    for (const order of activity.orders) load.addOrder(order);
    for (const interaction of activity.interactions) load.addInteraction(interaction);
  };
  inBulkTransaction(db, GENERATED_TABLES, () => {
    phase("people");
    load.begin(GENERATED_TABLES);
    for (const batch of batches) loadBatch(batch, add);
    loose = load.looseGroups();
    phase("profiles, keys, indexes");
    load.finish();
    phase("foreign-key check, commit");
  });
  return { orders: load.loadedOrders(), loose };
}

function ingestActivity(ctx: IngestContext, activity: Activity): void {
  for (const record of activity.records) ingestCustomerRecord(ctx, record);
  for (const order of activity.orders) ingestOrder(ctx, order);
  for (const interaction of activity.interactions) ingestInteraction(ctx, interaction);
}

function seedChain(db: Db, catalogue: Catalogue): void {
  const createdAt = REFERENCE_NOW;
  db.insert(sources)
    .values(SOURCES.map((s) => ({ ...s, createdAt })))
    .run();
  const storeIds = new Map<string, number>();
  for (const s of STORES) {
    const row = db
      .insert(stores)
      .values({ code: s.code, name: s.name, city: s.city, country: "GB", phone: s.phone, lockTimeoutSeconds: 120, createdAt })
      .returning({ id: stores.id })
      .get();
    storeIds.set(s.code, row.id);
  }

  const rows = catalogue.styles.flatMap((s) =>
    s.skus.map(({ sku, size }) => ({
      sku,
      style: s.style,
      name: s.name,
      category: s.category,
      department: s.department,
      collection: s.collection,
      brand: s.brand,
      colour: s.colour,
      size,
      price: s.price,
      cost: s.cost,
      promoPercent: s.promoPercent,
      imagePath: `/products/${categorySlug(s.category)}.svg`,
      active: s.active,
      createdAt,
    })),
  );
  for (let i = 0; i < rows.length; i += 500)
    db.insert(products)
      .values(rows.slice(i, i + 500))
      .run();
  const productIds = new Map(
    db
      .select({ sku: products.sku, id: products.id })
      .from(products)
      .all()
      .map((p) => [p.sku, p.id]),
  );
  STORES.forEach((s, index) => {
    const stock = storeStock(catalogue, index, s.breadth, s.code === "LDN").map(({ sku, quantity }) => ({
      storeId: storeIds.get(s.code)!,
      productId: productIds.get(sku)!,
      quantity,
      updatedAt: createdAt,
    }));
    for (let i = 0; i < stock.length; i += 1000)
      db.insert(inventory)
        .values(stock.slice(i, i + 1000))
        .run();
  });

  // Demo passwords are published in the README; a salt drawn from a fixed stream keeps the file identical per seed.
  const saltStream = new Random(BCRYPT_COST);
  const hashes = new Map<string, string>();
  const hash = (secret: string) => {
    let h = hashes.get(secret);
    if (!h) {
      const bytes = Array.from({ length: 16 }, () => saltStream.int(0, 255));
      h = bcrypt.hashSync(secret, `$2b$${BCRYPT_COST}$${bcrypt.encodeBase64(bytes, 16)}`);
      hashes.set(secret, h);
    }
    return h;
  };
  db.insert(staff)
    .values(
      STAFF.map((s) => ({
        email: s.email,
        name: s.name,
        role: s.role,
        homeStoreId: s.store ? storeIds.get(s.store)! : null,
        passwordHash: hash(s.password),
        pinHash: s.pin ? hash(s.pin) : null,
        createdAt,
      })),
    )
    .run();

  saveIdentitySettings(db, {
    blocked: {
      email: PLACEHOLDER_EMAILS.map((e) => normalizeEmail(e)).filter((e): e is string => e !== null),
      phone: PLACEHOLDER_PHONES.map((p) => normalizePhone(p, "GB")).filter((p): p is string => p !== null),
      loyalty: [SPARE_TILL_CARD],
    },
  });
  // saveIdentitySettings stamps the wall clock; the demo's clock is fixed so a seed always gives the same file.
  db.update(settings).set({ updatedAt: createdAt }).where(eq(settings.key, IDENTITY_SETTINGS_KEY)).run();
}
