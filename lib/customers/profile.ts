import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type Channel, type ConsentState, type FieldLineage, orderLines, orders, products, profiles, sourceCustomers, sources, stores } from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { inJsonArray } from "@/db/dialect";
import { maskEmail, maskPhone } from "@/lib/identity/normalize";
import { displayName } from "./display";

export type ProfileResolution = { kind: "found"; profileId: number } | { kind: "redirect"; profileId: number } | { kind: "missing" };

/**
 * The profile page's queries, prepared once per connection: built and prepared on every view they
 * cost several times what running them does.
 */
const preparedFor = perConnection(prepareProfile);

function prepareProfile(db: Db) {
  const p = sql.placeholder;
  const quantity = sql<number>`sum(${orderLines.quantity})`;
  /** One page of a customer's orders, newest first, for each shape of filter (channel or not, after a cursor or not). */
  const historyPage = (byChannel: boolean, afterCursor: boolean) =>
    db
      .select({ ...columnsOf(orders, "id", "placedAt", "channel", "total"), storeName: stores.name, source: sources.label })
      .from(orders)
      .innerJoin(sources, eq(sources.id, orders.sourceId))
      .leftJoin(stores, eq(stores.id, orders.storeId))
      .where(
        and(
          eq(orders.profileId, p("profileId")),
          byChannel ? eq(orders.channel, p("channel")) : undefined,
          afterCursor ? or(lt(orders.placedAt, p("placedAt")), and(eq(orders.placedAt, p("placedAt")), lt(orders.id, p("orderId")))) : undefined,
        ),
      )
      .orderBy(desc(orders.placedAt), desc(orders.id))
      .limit(p("limit"))
      .prepare();
  return {
    resolution: db
      .select({ id: profiles.id, mergedInto: profiles.mergedInto })
      .from(profiles)
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
    profile: db
      .select()
      .from(profiles)
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
    records: db
      .select({ source: sources.name, label: sources.label, sourceCustomerId: sourceCustomers.sourceCustomerId })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(eq(sourceCustomers.profileId, p("profileId")))
      .orderBy(sources.trustRank)
      .prepare(),
    topCategories: db
      .select({ category: products.category, quantity })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(eq(orders.profileId, p("profileId")))
      .groupBy(products.category)
      .having(sql`${quantity} > 0`)
      .orderBy(desc(quantity))
      .limit(3)
      .prepare(),
    historyPages: [historyPage(false, false), historyPage(false, true), historyPage(true, false), historyPage(true, true)],
    // The order IDs go in as one JSON array, so a page of any length runs the same statement.
    lines: db
      .select({
        orderId: orderLines.orderId,
        lineNo: orderLines.lineNo,
        sku: products.sku,
        name: products.name,
        colour: products.colour,
        size: products.size,
        imagePath: products.imagePath,
        quantity: orderLines.quantity,
        unitPrice: orderLines.unitPrice,
      })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(inJsonArray(orderLines.orderId, p("orderIds")))
      .orderBy(orderLines.orderId, orderLines.lineNo)
      .prepare(),

    categories: db.selectDistinct({ category: products.category }).from(products).orderBy(products.category).prepare(),
  };
}

/** A merged-away ID still finds its customer: it redirects to the survivor. */
export function resolveProfileId(db: Db, id: number): ProfileResolution {
  const row = preparedFor(db).resolution.get({ profileId: id });
  if (!row) return { kind: "missing" };
  if (row.mergedInto !== null) return { kind: "redirect", profileId: row.mergedInto };
  return { kind: "found", profileId: row.id };
}

export type ProfileSummary = {
  id: number;
  name: string;
  tier: string | null;
  loyaltyId: string | null;
  maskedEmail: string | null;
  maskedPhone: string | null;
  city: string | null;
  consents: Record<string, ConsentState>;
  lineage: Record<string, FieldLineage>;
  sources: { source: string; label: string; sourceCustomerId: string }[];
  lifetimeSpend: number;
  orderCount: number;
  averageOrderValue: number | null;
  lastPurchaseAt: number | null;
  topCategories: { category: string; quantity: number }[];
};

export function getProfileSummary(db: Db, profileId: number): ProfileSummary | null {
  const prepared = preparedFor(db);
  const p = prepared.profile.get({ profileId });
  if (!p || p.mergedInto !== null) return null;
  const records = prepared.records.all({ profileId });
  const topCategories = prepared.topCategories.all({ profileId });
  return {
    id: p.id,
    name: displayName(p),
    tier: p.tier,
    loyaltyId: p.loyaltyId,
    maskedEmail: maskEmail(p.email),
    maskedPhone: maskPhone(p.phone),
    city: p.city,
    consents: p.consents ?? {},
    lineage: p.lineage ?? {},
    sources: records,
    lifetimeSpend: p.lifetimeSpend,
    orderCount: p.orderCount,
    averageOrderValue: p.orderCount > 0 ? Math.round(p.lifetimeSpend / p.orderCount) : null,
    lastPurchaseAt: p.lastPurchaseAt,
    topCategories,
  };
}

type HistoryLine = {
  lineNo: number;
  sku: string;
  name: string;
  colour: string | null;
  size: string | null;
  imagePath: string | null;
  quantity: number;
  unitPrice: number;
};

export type HistoryOrder = {
  id: number;
  placedAt: number;
  channel: Channel;
  storeName: string | null;
  source: string;
  total: number;
  isReturn: boolean;
  lines: HistoryLine[];
};

export type HistoryCursor = { placedAt: number; orderId: number };
export type HistoryPage = { orders: HistoryOrder[]; next: HistoryCursor | null };

/** The orders' lines with their products, by order ID, in line order. */
export function linesOfOrders(db: Db, orderIds: number[]): Map<number, HistoryLine[]> {
  const byOrder = new Map<number, HistoryLine[]>();
  if (orderIds.length === 0) return byOrder;
  for (const { orderId, ...line } of preparedFor(db).lines.all({ orderIds: JSON.stringify(orderIds) })) {
    const list = byOrder.get(orderId);
    if (list) list.push(line);
    else byOrder.set(orderId, [line]);
  }
  return byOrder;
}

const HISTORY_PAGE_SIZE = 10;

/** Newest first, one page of orders at a time (keyset on placed_at, id): a long history never loads whole. */
export function getPurchaseHistory(
  db: Db,
  profileId: number,
  before: HistoryCursor | null,
  channel: Channel | null = null,
  limit = HISTORY_PAGE_SIZE,
): HistoryPage {
  const query = preparedFor(db).historyPages[(channel ? 2 : 0) + (before ? 1 : 0)];
  const page = query.all({ profileId, channel, placedAt: before?.placedAt, orderId: before?.orderId, limit: limit + 1 });
  const hasMore = page.length > limit;
  const shown = page.slice(0, limit);
  const byOrder = linesOfOrders(
    db,
    shown.map((o) => o.id),
  );
  const result = shown.map((o) => {
    const orderLinesOf = byOrder.get(o.id) ?? [];
    return { ...o, lines: orderLinesOf, isReturn: orderLinesOf.length > 0 && orderLinesOf.every((l) => l.quantity < 0) };
  });
  const last = shown.at(-1);
  return { orders: result, next: hasMore && last ? { placedAt: last.placedAt, orderId: last.id } : null };
}

export function listCategories(db: Db): string[] {
  return preparedFor(db)
    .categories.all()
    .map((r) => r.category);
}
