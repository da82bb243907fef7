import type { z } from "zod";
import { RowWriter, inBulkTransaction, nextIds, suggestionsAwaitingPurchase } from "@/db/bulk";
import type { Db } from "@/db/client";
import { BulkNotApplicable } from "@/lib/identity/bulk";
import { type IngestContext, withDeferredRefresh } from "@/lib/identity/ingest";
import { foldNewOrders } from "@/lib/lists/stats";
import { suppressionInForce } from "@/lib/privacy/suppression";
import { sourceOf } from "./common";
import { type ItemOutcome, orderUnchanged, withKnownProducts } from "./apply";
import { type Entry, type EntryResult, entryResult } from "./batch";
import { addOrderToStats } from "./order-stats";
import { type ResolvedOrder, ingestOrder, resolveOrder } from "./orders";
import type { OrderItem } from "./schemas";

/**
 * A file of orders loaded in bulk: each order is checked, priced and put on its customer's profile
 * by ingestOrder's own rules (resolveOrder) as the file is read; the rows are written at the end in
 * one transaction, many to a statement, and the profiles' figures and the store lists' figures
 * folded in once instead of order by order. An order the store holds already is replayed there, in
 * its place in the file, by ingestOrder itself. Same rows as the incremental path writes, IDs
 * included (orders-bulk.test.ts compares the two).
 *
 * It applies while no suggestion waits for a purchase to credit (so no new order converts one). An
 * order sent twice in the file, or a store that changes meanwhile, stops the load with nothing
 * written (BulkNotApplicable): the caller loads the file the incremental way.
 */
export class OrderBulkLoad {
  private readonly orders: (NewOrder | { resent: OrderItem })[] = [];
  private readonly added = new Set<string>();
  private readonly sourceId: number;
  private readonly first: Map<string, number>;
  private readonly suppressing: boolean;

  constructor(
    private readonly ctx: IngestContext,
    private readonly source: string,
  ) {
    this.sourceId = sourceOf(ctx, source).id;
    this.first = storeState(ctx.db);
    this.suppressing = suppressionInForce(ctx.db);
  }

  /** Why orders cannot be loaded in bulk into this store, or null when they can. */
  static notApplicable(db: Db): string | null {
    return suggestionsAwaitingPurchase(db) ? "suggestions wait for a purchase to credit" : null;
  }

  addEntries(schema: z.ZodType<OrderItem>, entries: Entry[]): { results: EntryResult[] } {
    return { results: entries.map((entry) => entryResult(schema, entry, (item) => this.add(item))) };
  }

  /** What applyItem would answer for the order; its rows are written by finish(). */
  private add(item: OrderItem): ItemOutcome {
    const order = withKnownProducts(this.ctx, item);
    const rejectedLines = order.rejectedLines.length ? { rejectedLines: order.rejectedLines } : {};
    if (this.added.has(order.externalId)) throw new BulkNotApplicable(`${this.source} order ${order.externalId} is sent twice`);
    const stored = this.ctx.stmts.orderByKey.get({ sourceId: this.sourceId, externalId: order.externalId }) !== undefined;
    if (stored && orderUnchanged(this.ctx, order, this.source)) return { status: "unchanged", ...rejectedLines };
    const resolved = resolveOrder(this.ctx, { ...order, source: this.source });
    this.orders.push(
      stored ? { resent: order } : { ...resolved, externalId: order.externalId, channel: order.channel, placedAt: order.placedAt, createdAt: this.ctx.now() },
    );
    this.added.add(order.externalId);
    return { status: stored ? "updated" : "inserted", ...rejectedLines };
  }

  /** Writes the orders, in one transaction: all of them, or (on any error) none. */
  finish(): void {
    const { ctx } = this;
    const { db } = ctx;
    inBulkTransaction(db, ["orders", "order_lines"], () =>
      withDeferredRefresh(ctx, () => {
        const now = storeState(db);
        for (const [what, first] of this.first) if (now.get(what) !== first) throw new BulkNotApplicable(`${what} changed while the file was read`);
        if (!this.suppressing && suppressionInForce(db)) throw new BulkNotApplicable("a customer was erased while the file was read");
        if (OrderBulkLoad.notApplicable(db)) throw new BulkNotApplicable("suggestions were shown while the file was read");
        const orders = new RowWriter(db, "orders", [
          "id",
          "source_id",
          "external_id",
          "source_record_id",
          "profile_id",
          "channel",
          "store_id",
          "placed_at",
          "total",
          "created_at",
        ]);
        const lines = new RowWriter(db, "order_lines", ["id", "order_id", "line_no", "product_id", "quantity", "unit_price"]);
        let orderId = this.first.get("orders")!;
        let lineId = this.first.get("order_lines")!;
        let folded = orderId;
        for (const o of this.orders) {
          if ("resent" in o) {
            // The orders before it are in the tables and the list figures, as they are when the incremental path reaches it.
            orders.flush();
            lines.flush();
            foldNewOrders(db, folded, orderId);
            ingestOrder(ctx, { ...o.resent, source: this.source });
            // Its insert-or-nothing took an order ID as it does incrementally, and its new lines took line IDs.
            const next = nextIds(db, ["orders", "order_lines"]);
            orderId = folded = next.get("orders")!;
            lineId = next.get("order_lines")!;
            continue;
          }
          orders.add([orderId, this.sourceId, o.externalId, o.sourceRecordId, o.profileId, o.channel, o.storeId, o.placedAt, o.total, o.createdAt]);
          for (const l of o.lines) lines.add([lineId++, orderId, l.lineNo, l.productId, l.quantity, l.unitPrice]);
          if (o.profileId !== null) addOrderToStats(ctx, o.profileId, o.total, o.placedAt);
          orderId++;
        }
        orders.flush();
        lines.flush();
        foldNewOrders(db, folded, orderId);
      }),
    );
  }
}

type NewOrder = ResolvedOrder & { externalId: string; channel: string; placedAt: number; createdAt: number };

/** What the load's decisions rest on: the next IDs of customers, profiles, merges and the rows it writes. */
function storeState(db: Db): Map<string, number> {
  return nextIds(db, ["source_customers", "profiles", "merge_events", "orders", "order_lines"]);
}
