import { and, asc, eq, sql } from "drizzle-orm";
import { inventory, interactions, orderLines, orders, products } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { type IngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { ingestInteraction } from "./interactions";
import { ingestOrder, knownProductId } from "./orders";
import type { CustomerItem, IngestKind, InteractionItem, InventoryItem, LineReject, OrderItem, ProductItem } from "./schemas";

export type ItemStatus = "inserted" | "updated" | "unchanged";

export type ItemOutcome = {
  status: ItemStatus;
  /** Customers only: the source record written, and what linking did. */
  sourceRecordId?: number;
  createdProfile?: boolean;
  merges?: number;
  reviewItems?: number;
  /** Orders only: lines left out (the order was written without them). */
  rejectedLines?: LineReject[];
  /** Customers only: the stored version's `updatedAt`, where the item was older and not applied. */
  staleAgainst?: number;
};

export type ItemOf = {
  customers: CustomerItem;
  orders: OrderItem;
  products: ProductItem;
  inventory: InventoryItem;
  interactions: InteractionItem;
};

const prepared = new WeakMap<IngestContext, ReturnType<typeof prepare>>();

function prepare(ctx: IngestContext) {
  const p = sql.placeholder;
  const { db } = ctx;
  return {
    order: db
      .select({ id: orders.id, sourceRecordId: orders.sourceRecordId, channel: orders.channel, storeId: orders.storeId, placedAt: orders.placedAt })
      .from(orders)
      .where(and(eq(orders.sourceId, p("sourceId")), eq(orders.externalId, p("externalId"))))
      .prepare(),
    linesOf: db
      .select({ productId: orderLines.productId, quantity: orderLines.quantity, unitPrice: orderLines.unitPrice })
      .from(orderLines)
      .where(eq(orderLines.orderId, p("orderId")))
      .orderBy(asc(orderLines.lineNo))
      .prepare(),
    interaction: db
      .select({
        sourceRecordId: interactions.sourceRecordId,
        kind: interactions.kind,
        productId: interactions.productId,
        storeId: interactions.storeId,
        at: interactions.at,
      })
      .from(interactions)
      .where(and(eq(interactions.sourceId, p("sourceId")), eq(interactions.externalId, p("externalId"))))
      .prepare(),
    product: db
      .select()
      .from(products)
      .where(eq(products.sku, p("sku")))
      .prepare(),
    stock: db
      .select({ quantity: inventory.quantity })
      .from(inventory)
      .where(and(eq(inventory.storeId, p("storeId")), eq(inventory.productId, p("productId"))))
      .prepare(),
  };
}

function statements(ctx: IngestContext) {
  let s = prepared.get(ctx);
  if (!s) prepared.set(ctx, (s = prepare(ctx)));
  return s;
}

/** Resolves what an order or interaction refers to, or null when anything is unknown (ingest then says what). */
function resolve(ctx: IngestContext, item: { sourceCustomerId?: string | null; customerSource?: string | null; storeCode?: string | null }, source: string) {
  const own = ctx.sources.get(source);
  const customerSource = ctx.sources.get(item.customerSource ?? source);
  if (!own || !customerSource) return null;
  let sourceRecordId: number | null = null;
  if (item.sourceCustomerId) {
    const record = ctx.stmts.recordByKey.get({ sourceId: customerSource.id, sourceCustomerId: item.sourceCustomerId });
    if (!record) return null;
    sourceRecordId = record.id;
  }
  const storeId = item.storeCode ? ctx.storeIds.get(item.storeCode) : null;
  if (storeId === undefined) return null;
  return { sourceId: own.id, sourceRecordId, storeId };
}

/**
 * An order's lines naming a SKU the catalogue does not have are left out and reported, as a malformed
 * line is: the rest of the order is still the customer's history. With no known line it is rejected.
 */
export function withKnownProducts(ctx: IngestContext, order: OrderItem): OrderItem {
  const known = order.lines.map((l) => knownProductId(ctx, l.sku) !== undefined);
  if (known.every(Boolean)) return order;
  if (!known.some(Boolean)) throw new DomainError("unknown_product", `Unknown SKU ${[...new Set(order.lines.map((l) => `"${l.sku}"`))].join(", ")}.`);
  // Line numbers as sent: the lines already left out by validation are not in `order.lines`.
  const leftOut = new Set(order.rejectedLines.map((r) => Number(r.field.split(".")[1])));
  const sentIndex: number[] = [];
  for (let i = 0; sentIndex.length < order.lines.length; i++) if (!leftOut.has(i)) sentIndex.push(i);
  const rejectedLines = [...order.rejectedLines];
  order.lines.forEach((l, k) => {
    if (!known[k]) rejectedLines.push({ field: `lines.${sentIndex[k]}.sku`, message: `Unknown SKU "${l.sku}"` });
  });
  rejectedLines.sort((a, b) => Number(a.field.split(".")[1]) - Number(b.field.split(".")[1]));
  return { ...order, lines: order.lines.filter((_, k) => known[k]), rejectedLines };
}

/** A re-sent order identical to the stored one: nothing to write (its lines keep their rows). */
export function orderUnchanged(ctx: IngestContext, item: OrderItem, source: string): boolean {
  const refs = resolve(ctx, item, source);
  if (!refs) return false;
  const s = statements(ctx);
  const stored = s.order.get({ sourceId: refs.sourceId, externalId: item.externalId });
  if (!stored) return false;
  if (stored.sourceRecordId !== refs.sourceRecordId || stored.channel !== item.channel || stored.storeId !== refs.storeId || stored.placedAt !== item.placedAt)
    return false;
  const lines = s.linesOf.all({ orderId: stored.id });
  return (
    lines.length === item.lines.length &&
    item.lines.every((l, i) => knownProductId(ctx, l.sku) === lines[i].productId && l.quantity === lines[i].quantity && l.unitPrice === lines[i].unitPrice)
  );
}

function interactionUnchanged(ctx: IngestContext, item: InteractionItem, source: string): boolean {
  const refs = resolve(ctx, item, source);
  if (!refs) return false;
  const stored = statements(ctx).interaction.get({ sourceId: refs.sourceId, externalId: item.externalId });
  const productId = item.sku ? knownProductId(ctx, item.sku) : null;
  return (
    stored !== undefined &&
    productId !== undefined &&
    stored.sourceRecordId === refs.sourceRecordId &&
    stored.kind === item.kind &&
    stored.productId === productId &&
    stored.storeId === refs.storeId &&
    stored.at === item.at
  );
}

function upsertProduct(ctx: IngestContext, item: ProductItem): ItemOutcome {
  const values = {
    sku: item.sku,
    style: item.style ?? item.sku,
    name: item.name,
    category: item.category,
    department: item.department,
    collection: item.collection ?? null,
    brand: item.brand,
    colour: item.colour ?? null,
    size: item.size ?? null,
    price: item.price,
    cost: item.cost ?? null,
    promoPercent: item.promoPercent ?? null,
    imagePath: item.imagePath ?? null,
    active: item.active ?? true,
  };
  const stored = statements(ctx).product.get({ sku: item.sku });
  if (!stored) {
    const { id } = ctx.db
      .insert(products)
      .values({ ...values, createdAt: ctx.now() })
      .returning({ id: products.id })
      .get();
    ctx.productIds.set(item.sku, id);
    return { status: "inserted" };
  }
  if ((Object.keys(values) as (keyof typeof values)[]).every((k) => stored[k] === values[k])) return { status: "unchanged" };
  ctx.db.update(products).set(values).where(eq(products.id, stored.id)).run();
  return { status: "updated" };
}

function upsertStock(ctx: IngestContext, item: InventoryItem): ItemOutcome {
  const storeId = ctx.storeIds.get(item.storeCode);
  if (storeId === undefined) throw new DomainError("unknown_store", `Unknown store "${item.storeCode}".`);
  const productId = knownProductId(ctx, item.sku);
  if (productId === undefined) throw new DomainError("unknown_product", `Unknown SKU "${item.sku}".`);
  const stored = statements(ctx).stock.get({ storeId, productId });
  if (stored?.quantity === item.quantity) return { status: "unchanged" };
  const updatedAt = item.updatedAt ?? ctx.now();
  ctx.db
    .insert(inventory)
    .values({ storeId, productId, quantity: item.quantity, updatedAt })
    .onConflictDoUpdate({ target: [inventory.storeId, inventory.productId], set: { quantity: item.quantity, updatedAt } })
    .run();
  return { status: stored ? "updated" : "inserted" };
}

/**
 * Writes one validated item as `source` sent it: idempotent per (source, ID), or per SKU and
 * store + SKU for the catalogue and stock; an item identical to what is stored writes nothing.
 * Throws DomainError for references to unknown sources, stores, products or customers. Call inside
 * a transaction (a savepoint per item, so a rejected one leaves nothing behind).
 */
export function applyItem<K extends IngestKind>(ctx: IngestContext, kind: K, source: string, item: ItemOf[K], payload?: unknown): ItemOutcome {
  if (!ctx.sources.has(source)) throw new DomainError("unknown_source", `Unknown source "${source}".`);
  switch (kind) {
    case "customers": {
      const r = ingestCustomerRecord(ctx, { ...(item as CustomerItem), source, payload: payload ?? item });
      return {
        status: r.status,
        sourceRecordId: r.sourceRecordId,
        createdProfile: r.createdProfile,
        merges: r.absorbedProfileIds.length,
        reviewItems: r.reviewItems,
        ...(r.staleAgainst !== undefined ? { staleAgainst: r.staleAgainst } : {}),
      };
    }
    case "orders": {
      const order = withKnownProducts(ctx, item as OrderItem);
      const rejectedLines = order.rejectedLines.length ? { rejectedLines: order.rejectedLines } : {};
      if (orderUnchanged(ctx, order, source)) return { status: "unchanged", ...rejectedLines };
      return { status: ingestOrder(ctx, { ...order, source }).status, ...rejectedLines };
    }
    case "interactions": {
      const interaction = item as InteractionItem;
      if (interactionUnchanged(ctx, interaction, source)) return { status: "unchanged" };
      return { status: ingestInteraction(ctx, { ...interaction, source }).status };
    }
    case "products":
      return upsertProduct(ctx, item as ProductItem);
    case "inventory":
      return upsertStock(ctx, item as InventoryItem);
  }
  throw new DomainError("invalid_input", `Unknown kind "${kind}".`);
}

/** The field a reference error is about, for per-item errors and rejects files. */
export function fieldOf(error: DomainError): string {
  switch (error.code) {
    case "unknown_product":
      return "sku";
    case "unknown_store":
      return "storeCode";
    case "unknown_customer":
      return "sourceCustomerId";
    case "unknown_source":
      return "source";
    default:
      return "item";
  }
}
