import { and, asc, desc, eq, gt, gte, isNull, lte, sql } from "drizzle-orm";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { type SuggestionSource, type SuggestionStatus, orderLines, orders, products, profiles, settings, suggestionEvents, suggestionRules } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { DAY_MS } from "@/lib/days";
import { VISIT_MS } from "./engine";

export const CONVERSION_WINDOW_KEY = "suggest.conversionWindowDays";
export const DEFAULT_CONVERSION_WINDOW_DAYS = 30;

/** Prepared once per connection: attributeOrder reads the window for every order an import writes. */
const windowSetting = perConnection((db: Db) =>
  db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, sql.placeholder("key")))
    .prepare(),
);

export function conversionWindowDays(db: Db): number {
  const value = windowSetting(db).get({ key: CONVERSION_WINDOW_KEY })?.value;
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
 * A tap on a card. Taps on the same style for the same customer in the same store within one visit
 * move one event (shown → accepted, or back), so a suggestion is counted once however often the
 * assistant changes their mind; a later visit, or the same day in another store, starts a new event.
 */
export function recordFeedback(db: Db, input: FeedbackInput, now = Date.now()): { eventId: number; status: SuggestionStatus } {
  return inTransaction(db, () => {
    if (!db.select({ id: products.id }).from(products).where(eq(products.style, input.style)).get()) throw new DomainError("unknown_product");
    if (input.ruleId !== null && !db.select({ id: suggestionRules.id }).from(suggestionRules).where(eq(suggestionRules.id, input.ruleId)).get()) {
      throw new DomainError("not_found", "That rule no longer exists.");
    }
    const current = currentEvent(db, input, now);
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

/**
 * The cards a tablet put on screen, counted as shown: a card the customer saw counts whether or not
 * anyone taps it. A card already recorded this visit in this store keeps its event (and status).
 */
export function recordImpressions(db: Db, cards: Omit<FeedbackInput, "status">[], now = Date.now()): number {
  return inTransaction(db, () => {
    let added = 0;
    for (const card of cards) {
      if (currentEvent(db, card, now)) continue;
      if (card.ruleId !== null && !db.select({ id: suggestionRules.id }).from(suggestionRules).where(eq(suggestionRules.id, card.ruleId)).get()) continue;
      db.insert(suggestionEvents)
        .values({ ...card, status: "shown", at: now, updatedAt: now })
        .run();
      added++;
    }
    return added;
  });
}

function currentEvent(db: Db, input: Pick<FeedbackInput, "profileId" | "style" | "storeId">, now: number) {
  return db
    .select({ id: suggestionEvents.id })
    .from(suggestionEvents)
    .where(
      and(
        eq(suggestionEvents.profileId, input.profileId),
        eq(suggestionEvents.style, input.style),
        input.storeId === null ? isNull(suggestionEvents.storeId) : eq(suggestionEvents.storeId, input.storeId),
        gte(suggestionEvents.at, now - VISIT_MS),
      ),
    )
    .orderBy(desc(suggestionEvents.at))
    .get();
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
      db.update(suggestionEvents)
        .set({ convertedOrderId: order.orderId, convertedAt: order.placedAt, revenue: order.revenue })
        .where(eq(suggestionEvents.id, event.id))
        .run();
      summary.converted++;
      summary.revenue += order.revenue;
    }
  });
  return summary;
}

const attributeStatements = new WeakMap<Db, ReturnType<typeof prepareAttribution>>();

function prepareAttribution(db: Db) {
  const p = sql.placeholder;
  return {
    open: db
      .select({ id: suggestionEvents.id, style: suggestionEvents.style })
      .from(suggestionEvents)
      .where(
        and(
          sql`${suggestionEvents.profileId} in (select ${profiles.id} from ${profiles} where ${profiles.id} = ${p("profileId")} or ${profiles.mergedInto} = ${p("profileId")})`,
          gte(suggestionEvents.at, p("from")),
          lte(suggestionEvents.at, p("to")),
          isNull(suggestionEvents.convertedOrderId),
          sql`${suggestionEvents.style} in (select ${products.style} from ${orderLines} join ${products} on ${products.id} = ${orderLines.productId} where ${orderLines.orderId} = ${p("orderId")} and ${orderLines.quantity} > 0)`,
        ),
      )
      .orderBy(desc(suggestionEvents.at))
      .prepare(),
    revenue: db
      .select({ style: products.style, revenue: sql<number>`sum(${orderLines.quantity} * ${orderLines.unitPrice})` })
      .from(orderLines)
      .innerJoin(products, eq(products.id, orderLines.productId))
      .where(and(eq(orderLines.orderId, p("orderId")), gt(orderLines.quantity, 0)))
      .groupBy(products.style)
      .prepare(),
    convert: db
      .update(suggestionEvents)
      .set({ convertedOrderId: sql`${p("orderId")}`, convertedAt: sql`${p("placedAt")}`, revenue: sql`${p("revenue")}` })
      .where(eq(suggestionEvents.id, p("id")))
      .prepare(),
  };
}

/**
 * Credits suggestions with an order as it is ingested: per style bought, the latest open suggestion
 * of it to this customer within the conversion window before the order. One indexed lookup for an
 * order that converts nothing. Call inside the ingest transaction, after the order's lines are written.
 */
export function attributeOrder(db: Db, order: { orderId: number; profileId: number; placedAt: number }): number {
  let stmts = attributeStatements.get(db);
  if (!stmts) attributeStatements.set(db, (stmts = prepareAttribution(db)));
  const open = stmts.open.all({
    profileId: order.profileId,
    orderId: order.orderId,
    from: order.placedAt - conversionWindowDays(db) * DAY_MS,
    to: order.placedAt,
  });
  if (open.length === 0) return 0;
  const revenue = new Map(stmts.revenue.all({ orderId: order.orderId }).map((r) => [r.style, r.revenue]));
  const done = new Set<string>();
  for (const event of open) {
    if (done.has(event.style)) continue;
    done.add(event.style);
    stmts.convert.run({ id: event.id, orderId: order.orderId, placedAt: order.placedAt, revenue: revenue.get(event.style) ?? 0 });
  }
  return done.size;
}
