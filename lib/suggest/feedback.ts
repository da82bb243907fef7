import { and, asc, desc, eq, gt, gte, isNull, lte, sql } from "drizzle-orm";
import { type Db, inTransaction } from "@/db/client";
import { type SuggestionSource, type SuggestionStatus, orderLines, orders, products, profiles, settings, suggestionEvents, suggestionRules } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { DAY_MS } from "@/lib/days";
import { VISIT_MS } from "./engine";

export const CONVERSION_WINDOW_KEY = "suggest.conversionWindowDays";
export const DEFAULT_CONVERSION_WINDOW_DAYS = 30;

export function conversionWindowDays(db: Db): number {
  const value = db.select({ value: settings.value }).from(settings).where(eq(settings.key, CONVERSION_WINDOW_KEY)).get()?.value;
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : DEFAULT_CONVERSION_WINDOW_DAYS;
}

export function setConversionWindowDays(db: Db, days: number, now = Date.now()): void {
  db.insert(settings)
    .values({ key: CONVERSION_WINDOW_KEY, value: days, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`${days}`, updatedAt: now } })
    .run();
}

export type FeedbackInput = {
  profileId: number;
  storeId: number | null;
  staffId: number;
  style: string;
  sku: string | null;
  source: SuggestionSource;
  ruleId: number | null;
  anchorStyle: string | null;
  anchorAt: number | null;
  status: SuggestionStatus;
};

/**
 * A tap on a card. Taps on the same style for the same customer within one visit move one event
 * (shown → accepted, or back), so a suggestion is counted once however often the assistant changes
 * their mind; a later visit starts a new event.
 */
export function recordFeedback(db: Db, input: FeedbackInput, now = Date.now()): { eventId: number; status: SuggestionStatus } {
  return inTransaction(db, () => {
    if (!db.select({ id: products.id }).from(products).where(eq(products.style, input.style)).get()) throw new DomainError("unknown_product");
    if (input.ruleId !== null && !db.select({ id: suggestionRules.id }).from(suggestionRules).where(eq(suggestionRules.id, input.ruleId)).get()) {
      throw new DomainError("not_found", "That rule no longer exists.");
    }
    const current = db
      .select({ id: suggestionEvents.id })
      .from(suggestionEvents)
      .where(and(eq(suggestionEvents.profileId, input.profileId), eq(suggestionEvents.style, input.style), gte(suggestionEvents.at, now - VISIT_MS)))
      .orderBy(desc(suggestionEvents.at))
      .get();
    if (current) {
      db.update(suggestionEvents).set({ status: input.status, staffId: input.staffId, updatedAt: now }).where(eq(suggestionEvents.id, current.id)).run();
      return { eventId: current.id, status: input.status };
    }
    const { id } = db
      .insert(suggestionEvents)
      .values({ ...input, at: now, updatedAt: now })
      .returning({ id: suggestionEvents.id })
      .get();
    return { eventId: id, status: input.status };
  });
}

export type AttributionSummary = { checked: number; converted: number; revenue: number; windowDays: number };

/**
 * Marks suggestions converted: the first order by the same customer (or the profile it was merged
 * into) that contains the suggested style, placed within the window after the suggestion. An order
 * converts only the latest suggestion of that style before it. Runs over events not yet converted
 * since `since` (default: those whose window may still be open, plus a day for late-arriving orders).
 */
export function attributeConversions(db: Db, options: { now?: number; since?: number } = {}): AttributionSummary {
  const now = options.now ?? Date.now();
  const windowDays = conversionWindowDays(db);
  const windowMs = windowDays * DAY_MS;
  const since = options.since ?? now - windowMs - DAY_MS;
  const owner = sql<number>`coalesce(${profiles.mergedInto}, ${profiles.id})`;
  const pending = db
    .select({ id: suggestionEvents.id, profileId: owner, style: suggestionEvents.style, at: suggestionEvents.at })
    .from(suggestionEvents)
    .innerJoin(profiles, eq(profiles.id, suggestionEvents.profileId))
    .where(and(gte(suggestionEvents.at, since), lte(suggestionEvents.at, now), isNull(suggestionEvents.convertedOrderId)))
    .orderBy(asc(suggestionEvents.at))
    .all();
  const revenue = sql<number>`sum(${orderLines.quantity} * ${orderLines.unitPrice})`;
  const firstPurchase = db
    .select({ orderId: orders.id, placedAt: orders.placedAt, revenue })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(
      and(
        eq(orders.profileId, sql.placeholder("profileId")),
        gte(orders.placedAt, sql.placeholder("from")),
        lte(orders.placedAt, sql.placeholder("to")),
        eq(products.style, sql.placeholder("style")),
        gt(orderLines.quantity, 0),
      ),
    )
    .groupBy(orders.id)
    .orderBy(asc(orders.placedAt), asc(orders.id))
    .limit(1)
    .prepare();
  const laterSuggestion = db
    .select({ id: suggestionEvents.id })
    .from(suggestionEvents)
    .innerJoin(profiles, eq(profiles.id, suggestionEvents.profileId))
    .where(
      and(
        eq(owner, sql.placeholder("profileId")),
        eq(suggestionEvents.style, sql.placeholder("style")),
        gt(suggestionEvents.at, sql.placeholder("after")),
        lte(suggestionEvents.at, sql.placeholder("until")),
      ),
    )
    .limit(1)
    .prepare();

  const summary: AttributionSummary = { checked: pending.length, converted: 0, revenue: 0, windowDays };
  inTransaction(db, () => {
    for (const event of pending) {
      const order = firstPurchase.get({ profileId: event.profileId, from: event.at, to: Math.min(now, event.at + windowMs), style: event.style });
      if (!order) continue;
      if (laterSuggestion.get({ profileId: event.profileId, style: event.style, after: event.at, until: order.placedAt })) continue;
      db.update(suggestionEvents).set({ convertedOrderId: order.orderId, convertedAt: order.placedAt, revenue: order.revenue }).where(eq(suggestionEvents.id, event.id)).run();
      summary.converted++;
      summary.revenue += order.revenue;
    }
  });
  return summary;
}
