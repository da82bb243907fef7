import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Channel, orderLines, orders, products } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { IngestContext } from "@/lib/identity/ingest";
import { recordStoreCustomerOrder } from "@/lib/lists/stats";
import { attributeOrder } from "@/lib/suggest/feedback";
import { params, rawParams, sourceOf, storeIdOf } from "./common";
import { addOrderToStats, refreshStats } from "./order-stats";

export type OrderLineInput = { sku: string; quantity: number; unitPrice: number };

export type OrderInput = {
  source: string;
  externalId: string;
  /** The customer as the order's source knows them; absent for anonymous sales. */
  sourceCustomerId?: string | null;
  /** Source of the customer record when it differs from the order's (a POS sale on a loyalty card). */
  customerSource?: string | null;
  channel: Channel;
  storeCode?: string | null;
  placedAt: number;
  lines: OrderLineInput[];
};

export function prepareOrders(db: Db) {
  const p = sql.placeholder;
  return {
    orderByKey: db
      .select({ id: orders.id, profileId: orders.profileId })
      .from(orders)
      .where(and(eq(orders.sourceId, p("sourceId")), eq(orders.externalId, p("externalId"))))
      .prepare(),
    // Insert-or-nothing first: a new order costs one statement, and only a re-sent one is looked up.
    insertOrder: db
      .insert(orders)
      .values({ ...params(orders, "sourceId", "externalId", "sourceRecordId", "profileId", "channel", "storeId", "placedAt", "total"), createdAt: p("now") })
      .onConflictDoNothing({ target: [orders.sourceId, orders.externalId] })
      .returning({ id: orders.id })
      .prepare(),
    updateOrder: db
      .update(orders)
      .set(rawParams(orders, "sourceRecordId", "profileId", "channel", "storeId", "placedAt", "total"))
      .where(eq(orders.id, p("orderId")))
      .prepare(),
    productBySku: db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.sku, p("sku")))
      .prepare(),
    deleteOrderLines: db
      .delete(orderLines)
      .where(eq(orderLines.orderId, p("orderId")))
      .prepare(),
    insertOrderLine: db
      .insert(orderLines)
      .values({ orderId: p("orderId"), lineNo: p("lineNo"), productId: p("productId"), quantity: p("quantity"), unitPrice: p("unitPrice") })
      .prepare(),
  };
}

/** The product's ID, remembered for the rest of the context; undefined for an unknown SKU. */
export function knownProductId(ctx: IngestContext, sku: string): number | undefined {
  let id = ctx.productIds.get(sku);
  if (id === undefined) {
    id = ctx.stmts.productBySku.get({ sku })?.id;
    if (id !== undefined) ctx.productIds.set(sku, id);
  }
  return id;
}

export function productId(ctx: IngestContext, sku: string): number {
  const id = knownProductId(ctx, sku);
  if (id === undefined) throw new DomainError("unknown_product", `Unknown SKU "${sku}".`);
  return id;
}

export type OrderIngestResult = { status: "inserted" | "updated"; orderId: number; profileId: number | null };

/** An order as its rows hold it: its references resolved (each unknown one a DomainError), its lines priced. */
export type ResolvedOrder = {
  sourceId: number;
  sourceRecordId: number | null;
  profileId: number | null;
  storeId: number | null;
  total: number;
  lines: { lineNo: number; productId: number; quantity: number; unitPrice: number }[];
};

/** The order's source, store, customer (on their current profile) and products, checked in the order ingestOrder reports them. */
export function resolveOrder(ctx: IngestContext, input: OrderInput): ResolvedOrder {
  const source = sourceOf(ctx, input.source);
  if (input.lines.length === 0) throw new DomainError("invalid_input", "An order needs at least one line.");
  const storeId = storeIdOf(ctx, input.storeCode);
  let sourceRecordId: number | null = null;
  let profileId: number | null = null;
  if (input.sourceCustomerId) {
    const customerSource = sourceOf(ctx, input.customerSource ?? input.source);
    const record = ctx.stmts.recordByKey.get({ sourceId: customerSource.id, sourceCustomerId: input.sourceCustomerId });
    if (!record) throw new DomainError("unknown_customer", `No ${customerSource.name} customer "${input.sourceCustomerId}".`);
    sourceRecordId = record.id;
    profileId = record.profileId;
  }
  const lines = input.lines.map((l, i) => ({ lineNo: i + 1, productId: productId(ctx, l.sku), quantity: l.quantity, unitPrice: l.unitPrice }));
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return { sourceId: source.id, sourceRecordId, profileId, storeId, total, lines };
}

/** Adds or replaces one order with its lines, attached to the customer's current profile. Call inside a transaction. */
export function ingestOrder(ctx: IngestContext, input: OrderInput): OrderIngestResult {
  const { stmts } = ctx;
  const { sourceId, sourceRecordId, profileId, storeId, total, lines } = resolveOrder(ctx, input);
  const values = { sourceRecordId, profileId, channel: input.channel, storeId, placedAt: input.placedAt, total };
  const inserted = stmts.insertOrder.get({ sourceId, externalId: input.externalId, ...values, now: ctx.now() });
  let orderId: number;
  if (inserted) {
    orderId = inserted.id;
    if (profileId !== null) addOrderToStats(ctx, profileId, total, input.placedAt);
  } else {
    const previous = stmts.orderByKey.get({ sourceId, externalId: input.externalId })!;
    orderId = previous.id;
    stmts.updateOrder.run({ ...values, orderId });
    stmts.deleteOrderLines.run({ orderId });
    // A re-sent order may have changed amount or customer: both profiles are summed again.
    if (profileId !== null) refreshStats(ctx, profileId);
    if (previous.profileId !== null && previous.profileId !== profileId) refreshStats(ctx, previous.profileId);
  }
  for (const line of lines) stmts.insertOrderLine.run({ orderId, ...line });
  recordStoreCustomerOrder(ctx.db, { orderId, profileId, replaced: !inserted });
  if (profileId !== null) attributeOrder(ctx.db, { orderId, profileId, placedAt: input.placedAt });
  return { status: inserted ? "inserted" : "updated", orderId, profileId };
}
