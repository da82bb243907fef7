import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { greaterOf } from "@/db/dialect";
import { orders, profiles } from "@/db/schema";
import type { IngestContext } from "@/lib/identity/ingest";

/** What a new order adds to its profile's statistics. */
export type StatsDelta = { spend: number; orders: number; lastPurchaseAt: number | null };

/** A profile's lifetime spend, order count and last purchase, kept from its orders. */
export function prepareOrderStats(db: Db) {
  const p = sql.placeholder;
  return {
    refreshStats: db
      .update(profiles)
      .set({
        lifetimeSpend: sql`(select coalesce(sum(${orders.total}), 0) from ${orders} where ${orders.profileId} = ${p("profileId")})`,
        orderCount: sql`(select count(*) from ${orders} where ${orders.profileId} = ${p("profileId")} and ${orders.total} > 0)`,
        lastPurchaseAt: sql`(select max(${orders.placedAt}) from ${orders} where ${orders.profileId} = ${p("profileId")} and ${orders.total} > 0)`,
      })
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
    addToStats: db
      .update(profiles)
      .set({
        lifetimeSpend: sql`${profiles.lifetimeSpend} + ${p("spend")}`,
        orderCount: sql`${profiles.orderCount} + ${p("orders")}`,
        lastPurchaseAt: greaterOf(
          sql`coalesce(${profiles.lastPurchaseAt}, ${p("lastPurchaseAt")})`,
          sql`coalesce(${p("lastPurchaseAt")}, ${profiles.lastPurchaseAt})`,
        ),
      })
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
  };
}

export function refreshStats(ctx: IngestContext, profileId: number): void {
  if (ctx.pending) ctx.pending.stats.add(profileId);
  else ctx.stmts.refreshStats.run({ profileId });
}

/** A new order moves its profile's figures by its own amounts: no need to sum every order again. */
export function addOrderToStats(ctx: IngestContext, profileId: number, total: number, placedAt: number): void {
  const delta = { spend: total, orders: total > 0 ? 1 : 0, lastPurchaseAt: total > 0 ? placedAt : null };
  if (!ctx.pending) {
    ctx.stmts.addToStats.run({ profileId, ...delta });
    return;
  }
  if (ctx.pending.stats.has(profileId)) return;
  const sum = ctx.pending.statsDeltas.get(profileId);
  if (!sum) ctx.pending.statsDeltas.set(profileId, delta);
  else {
    sum.spend += delta.spend;
    sum.orders += delta.orders;
    if (delta.lastPurchaseAt !== null && (sum.lastPurchaseAt === null || delta.lastPurchaseAt > sum.lastPurchaseAt)) sum.lastPurchaseAt = delta.lastPurchaseAt;
  }
}

export function applyStatsDelta(ctx: IngestContext, profileId: number): void {
  const delta = ctx.pending?.statsDeltas.get(profileId);
  if (!delta) return;
  ctx.pending!.statsDeltas.delete(profileId);
  ctx.stmts.addToStats.run({ profileId, ...delta });
}
