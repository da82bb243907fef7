import { and, desc, eq, gt, gte, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type Db, perConnection } from "@/db/client";
import { inJsonArray } from "@/db/dialect";
import {
  type RuleTargetKind,
  type SuggestionStatus,
  associationRules,
  interactions,
  inventory,
  orderLines,
  orders,
  preferences,
  products,
  sources,
  stores,
  suggestionEvents,
  styleTrends,
  suggestionRules,
} from "@/db/schema";
import { anchorView, reasonFor, stockBadge } from "./explain";
import { DAY_MS } from "@/lib/days";
import {
  type Association,
  type Availability,
  type CandidateSource,
  type AnchorView,
  type Candidate,
  DEFAULT_LIMIT,
  type InterestSignal,
  type Purchase,
  type Ranked,
  type RuleDefinition,
  type ShelfPolicy,
  type StyleInfo,
  associationCandidates,
  availabilityFor,
  compareScores,
  customerHistory,
  evidenceByStyle,
  interestCandidates,
  logTrend,
  pairKey,
  popularCandidates,
  rankCandidates,
  ruleAnchor,
  ruleCandidates,
  ruleIsLive,
} from "./rank";
import { loadSeason } from "./season";
import { RANKING_DEFAULTS, type RankingSettings, shelfPolicy } from "./settings";

/**
 * "Goes with what you bought" for one profile: a handful of indexed lookups around the pure ranking
 * (./rank.ts) and wording (./explain.ts).
 */

const INTEREST_DAYS = 90;
/** A dismissed suggestion stays away this long; taps within a visit update one event. */
export const DISMISS_DAYS = 30;
export const VISIT_MS = 12 * 60 * 60 * 1000;
const SHELF_BATCH_PER_CARD = 4;
const PROMO_BOUND_TTL_MS = 60_000;
export type SuggestionCard = {
  style: string;
  /** The customer's size of it, when their size in its category is known. */
  sku?: string;
  size?: string;
  name: string;
  price: number;
  promoPercent: number | null;
  imagePath: string | null;
  category: string;
  availability: Availability;
  /** The card's stock line, naming the same sizes as the reason. */
  stock: string;
  reason: string;
  source: CandidateSource;
  anchor: AnchorView;
  /** Tier (1 rule, 0 goes-with or interest, −1 best-seller) and ln of the evidence within it. */
  tier: number;
  score: number;
  status: SuggestionStatus | null;
};

// ——— Loaders: one profile's rows through indexed lookups, as statements prepared once per connection. ———

const p = sql.placeholder;
const inJson = (column: SQLiteColumn, name: string) => inJsonArray(column, p(name));

/** One purchased line as the engine reads it; the offline eval reads the same shape over all customers. */
export const PURCHASE_COLUMNS = {
  placedAt: orders.placedAt,
  channel: orders.channel,
  storeId: orders.storeId,
  storeName: stores.name,
  style: products.style,
  sku: products.sku,
  name: products.name,
  category: products.category,
  collection: products.collection,
  brand: products.brand,
  size: products.size,
  quantity: orderLines.quantity,
};

/** A browsing event as the interest reasons read it: the product looked at, how, when and where. */
export const INTEREST_COLUMNS = {
  style: products.style,
  productName: products.name,
  kind: interactions.kind,
  at: interactions.at,
  source: sources.name,
  promoPercent: products.promoPercent,
};

function prepareStatements(db: Db) {
  /** The styles of active products whose column (category, brand, collection) has the rule's value. */
  const activeStylesWhere = (column: SQLiteColumn) =>
    db
      .selectDistinct({ style: products.style })
      .from(products)
      .where(and(eq(column, p("value")), eq(products.active, true)))
      .prepare();
  return {
    purchases: db
      .select(PURCHASE_COLUMNS)
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .innerJoin(products, eq(products.id, orderLines.productId))
      .leftJoin(stores, eq(stores.id, orders.storeId))
      .where(eq(orders.profileId, p("profileId")))
      .prepare(),
    preferences: db
      .select({ category: preferences.category, size: preferences.size })
      .from(preferences)
      .where(eq(preferences.profileId, p("profileId")))
      .prepare(),
    rules: db
      .select({
        id: suggestionRules.id,
        name: suggestionRules.name,
        anchorKind: suggestionRules.anchorKind,
        anchorValue: suggestionRules.anchorValue,
        withinDays: suggestionRules.withinDays,
        targetKind: suggestionRules.targetKind,
        targetValue: suggestionRules.targetValue,
        priority: suggestionRules.priority,
        storeIds: suggestionRules.storeIds,
        activeFrom: suggestionRules.activeFrom,
        activeTo: suggestionRules.activeTo,
        message: suggestionRules.message,
      })
      .from(suggestionRules)
      .where(
        and(
          eq(suggestionRules.status, "published"),
          or(isNull(suggestionRules.activeFrom), lte(suggestionRules.activeFrom, p("now"))),
          or(isNull(suggestionRules.activeTo), gte(suggestionRules.activeTo, p("now"))),
        ),
      )
      .prepare(),
    associations: db
      .select({
        anchorStyle: associationRules.anchorStyle,
        suggestStyle: associationRules.suggestStyle,
        kind: associationRules.kind,
        confidence: associationRules.confidence,
        lift: associationRules.lift,
      })
      .from(associationRules)
      .where(and(inJson(associationRules.anchorStyle, "styles"), lte(associationRules.rank, p("perAnchor"))))
      .prepare(),
    skuTarget: db
      .selectDistinct({ style: products.style })
      .from(products)
      .where(or(eq(products.sku, p("value")), eq(products.style, p("value"))))
      .prepare(),
    categoryTarget: activeStylesWhere(products.category),
    brandTarget: activeStylesWhere(products.brand),
    collectionTarget: activeStylesWhere(products.collection),
    interest: db
      .select({
        ...INTEREST_COLUMNS,
        restockedHere: sql<number | null>`${inventory.quantity} > 0 and ${inventory.updatedAt} > ${interactions.at}`,
      })
      .from(interactions)
      .innerJoin(products, eq(products.id, interactions.productId))
      .innerJoin(sources, eq(sources.id, interactions.sourceId))
      .leftJoin(inventory, and(eq(inventory.productId, interactions.productId), eq(inventory.storeId, p("storeId"))))
      .where(
        and(
          eq(interactions.profileId, p("profileId")),
          gte(interactions.at, p("since")),
          lte(interactions.at, p("now")),
          inArray(interactions.kind, ["view", "wishlist", "cart"]),
        ),
      )
      .orderBy(desc(interactions.at))
      .limit(100)
      .prepare(),
    styles: db
      .select({
        id: products.id,
        style: products.style,
        sku: products.sku,
        size: products.size,
        name: products.name,
        category: products.category,
        price: products.price,
        promoPercent: products.promoPercent,
        imagePath: products.imagePath,
        seasonOrders: styleTrends.seasonOrders,
        yearOrders: styleTrends.yearOrders,
      })
      .from(products)
      .leftJoin(styleTrends, eq(styleTrends.style, products.style))
      .where(and(inJson(products.style, "styles"), eq(products.active, true)))
      .orderBy(products.id)
      .prepare(),
    stockHere: db
      .select({ productId: inventory.productId, quantity: inventory.quantity })
      .from(inventory)
      .where(and(eq(inventory.storeId, p("storeId")), inJson(inventory.productId, "ids"), gt(inventory.quantity, 0)))
      .prepare(),
    stockAnywhere: db
      .select({ productId: inventory.productId, quantity: sql<number>`sum(${inventory.quantity})` })
      .from(inventory)
      .where(and(inJson(inventory.productId, "ids"), gt(inventory.quantity, 0)))
      .groupBy(inventory.productId)
      .prepare(),
    stockElsewhere: db
      .selectDistinct({ productId: inventory.productId })
      .from(inventory)
      .where(and(inJson(inventory.productId, "ids"), ne(inventory.storeId, p("storeId")), gt(inventory.quantity, 0)))
      .prepare(),
    maxPromo: db
      .select({ percent: sql<number>`coalesce(max(${products.promoPercent}), 0)` })
      .from(products)
      .where(eq(products.active, true))
      .prepare(),
    feedback: db
      .select({
        style: suggestionEvents.style,
        storeId: suggestionEvents.storeId,
        status: suggestionEvents.status,
        at: suggestionEvents.at,
        updatedAt: suggestionEvents.updatedAt,
      })
      .from(suggestionEvents)
      .where(and(eq(suggestionEvents.profileId, p("profileId")), gte(suggestionEvents.at, p("since"))))
      .orderBy(suggestionEvents.updatedAt)
      .prepare(),
  };
}

const statementCache = perConnection(prepareStatements);

function statements(db: Db) {
  const s = statementCache(db);
  return s;
}

export function loadPurchases(db: Db, profileId: number): Purchase[] {
  return statements(db).purchases.all({ profileId });
}

export function loadPreferences(db: Db, profileId: number): { category: string; size: string | null }[] {
  return statements(db).preferences.all({ profileId });
}

export function loadRules(db: Db, now: number): RuleDefinition[] {
  return statements(db).rules.all({ now });
}

export function loadAssociations(db: Db, anchorStyles: string[], perAnchor: number = RANKING_DEFAULTS.pairsPerAnchor): Association[] {
  if (anchorStyles.length === 0) return [];
  return statements(db).associations.all({ styles: JSON.stringify(anchorStyles), perAnchor });
}

/** Styles a rule's target names: a SKU (or style code), or every active style of a category, collection or brand. */
export function loadTargetStyles(db: Db, kind: RuleTargetKind, value: string): string[] {
  const s = statements(db);
  const stmt = { sku: s.skuTarget, category: s.categoryTarget, collection: s.collectionTarget, brand: s.brandTarget }[kind];
  return stmt.all({ value }).map((r) => r.style);
}

export function loadInterest(db: Db, profileId: number, storeId: number | null, now: number): InterestSignal[] {
  return statements(db)
    .interest.all({ profileId, storeId: storeId ?? -1, since: now - INTEREST_DAYS * DAY_MS, now })
    .map(({ source, kind, restockedHere, ...r }) => ({
      ...r,
      kind: kind as InterestSignal["kind"],
      channel: source === "app" ? "app" : "online",
      restockedHere: Boolean(restockedHere),
    }));
}

/**
 * Active sizes of the given styles with their stock here (with no "here", head office's view, stock
 * anywhere counts). Whether another store has a size is looked up only for `needsElsewhere` styles
 * (those not available here), which keeps the common case to two index walks.
 */
export function loadStyles(db: Db, styles: string[], storeId: number | null): Map<string, StyleInfo> {
  const out = new Map<string, StyleInfo>();
  if (styles.length === 0) return out;
  const s = statements(db);
  const rows = s.styles.all({ styles: JSON.stringify(styles) });
  const ids = JSON.stringify(rows.map((r) => r.id));
  const stock = new Map((storeId === null ? s.stockAnywhere.all({ ids }) : s.stockHere.all({ storeId, ids })).map((r) => [r.productId, r.quantity]));
  for (const r of rows) {
    let info = out.get(r.style);
    if (!info) {
      const trend = r.seasonOrders === null || r.yearOrders === null ? null : { seasonOrders: r.seasonOrders, yearOrders: r.yearOrders };
      info = { style: r.style, name: r.name, category: r.category, price: r.price, promoPercent: r.promoPercent, imagePath: r.imagePath, trend, skus: [] };
      out.set(r.style, info);
    }
    info.skus.push({ id: r.id, sku: r.sku, size: r.size, here: stock.get(r.id) ?? 0, elsewhere: false });
  }
  return out;
}

/** Fills `elsewhere` for the sizes of these styles: whether a store other than this one has them. */
export function loadElsewhere(db: Db, infos: StyleInfo[], storeId: number | null): void {
  if (storeId === null || infos.length === 0) return;
  const skus = infos.flatMap((i) => i.skus);
  const found = new Set(
    statements(db)
      .stockElsewhere.all({ storeId, ids: JSON.stringify(skus.map((k) => k.id)) })
      .map((r) => r.productId),
  );
  for (const k of skus) k.elsewhere = found.has(k.id);
}

const promoBound = new WeakMap<Db, { at: number; percent: number }>();

/** The deepest promotion on sale, re-read at most once a minute: promotions change by the day, not the request. */
function maxPromoPercent(db: Db, now: number): number {
  const cached = promoBound.get(db);
  if (cached && Math.abs(now - cached.at) < PROMO_BOUND_TTL_MS) return cached.percent;
  const percent = statements(db).maxPromo.get()?.percent ?? 0;
  promoBound.set(db, { at: now, percent });
  return percent;
}

export type Feedback = { dismissed: Set<string>; thisVisit: Map<string, SuggestionStatus> };

/** A dismissal anywhere keeps the item away; this visit's taps are this store's. */
export function loadFeedback(db: Db, profileId: number, storeId: number | null, now: number): Feedback {
  const rows = statements(db).feedback.all({ profileId, since: now - DISMISS_DAYS * DAY_MS });
  const dismissed = new Set<string>();
  const thisVisit = new Map<string, SuggestionStatus>();
  for (const r of rows) {
    if (r.at >= now - VISIT_MS && r.storeId === storeId) thisVisit.set(r.style, r.status);
    else if (r.status === "dismissed") dismissed.add(r.style);
  }
  return { dismissed, thisVisit };
}

export type SuggestOptions = {
  profileId: number;
  storeId: number | null;
  now: number;
  limit?: number;
  /** Head office's preview: this rule counts as published (it replaces the stored rule with its id). */
  draftRule?: RuleDefinition;
  /** The store's stock settings, when the caller has read them already. */
  shelf?: ShelfPolicy;
  /** How history is weighed; the product's defaults unless an evaluation compares others. */
  ranking?: RankingSettings;
};

export function suggestForProfile(db: Db, options: SuggestOptions): SuggestionCard[] {
  const { profileId, storeId, now, limit = DEFAULT_LIMIT, draftRule, ranking = RANKING_DEFAULTS } = options;
  const shelf = options.shelf ?? shelfPolicy(db, storeId);
  const history = customerHistory(loadPurchases(db, profileId), loadPreferences(db, profileId));
  const recent = history.anchors.filter((a) => a.at <= now).slice(0, ranking.anchors);
  const scoped = { ...history, anchors: recent };

  const stored = loadRules(db, now).filter((r) => r.id !== draftRule?.id);
  const rules = [...stored, ...(draftRule ? [draftRule] : [])].filter((r) => ruleIsLive(r, storeId, now) && ruleAnchor(r, scoped, now) !== null);
  const targets = new Map(rules.map((r) => [r, loadTargetStyles(db, r.targetKind, r.targetValue)]));
  const associations = loadAssociations(
    db,
    recent.map((a) => a.style),
    ranking.pairsPerAnchor,
  );
  const pairs = new Map(associations.map((a) => [pairKey(a.anchorStyle, a.suggestStyle), a]));
  const signals = loadInterest(db, profileId, storeId, now);
  const feedback = loadFeedback(db, profileId, storeId, now);
  const excluded = (style: string) => history.owned.has(style) || history.returned.has(style) || feedback.dismissed.has(style);
  const anchored = [
    ...ruleCandidates(scoped, rules, (r) => targets.get(r) ?? [], pairs, now, draftRule?.id ?? null),
    ...associationCandidates(scoped, associations, ranking),
    ...interestCandidates(signals, now),
  ].filter((c) => !excluded(c.style));
  const styles = new Map<string, StyleInfo>();
  const availability = new Map<string, Availability | null>();
  const sizeOf = (info: StyleInfo) => history.sizes.get(info.category) ?? null;
  // The same garment in another colour is a separate style but not something that "goes with" it.
  const ownedNames = new Set(history.anchors.map((a) => a.productName));
  const logBoost = Math.log1p(maxPromoPercent(db, now) / 100);
  const batchSize = limit * SHELF_BATCH_PER_CARD;

  // Shelf checks cost index walks, so styles are checked best evidence first, a batch at a time, until
  // no unchecked style could still make the list even at the deepest promotion in the range.
  const rankOnShelf = (candidates: Candidate[]): Ranked[] => {
    const order = [...evidenceByStyle(candidates)].sort(([, a], [, b]) => compareScores(a, b));
    let ranked: Ranked[] = [];
    for (let i = 0; i < order.length; i += batchSize) {
      const unchecked = order.slice(i, i + batchSize).filter(([style]) => !styles.has(style));
      const batch = loadStyles(
        db,
        unchecked.map(([style]) => style),
        storeId,
      );
      if (shelf.stockFeed && shelf.orderForDelivery)
        loadElsewhere(
          db,
          [...batch.values()].filter((info) => availabilityFor(info, sizeOf(info), { ...shelf, orderForDelivery: false }) === null),
          storeId,
        );
      for (const info of batch.values()) {
        styles.set(info.style, info);
        availability.set(info.style, availabilityFor(info, sizeOf(info), shelf));
      }
      ranked = rankCandidates(candidates, {
        limit,
        owned: history.owned,
        exclude: feedback.dismissed,
        category: (s) => styles.get(s)?.category,
        promoPercent: (s) => styles.get(s)?.promoPercent ?? null,
        sellable: (s) => {
          const a = availability.get(s);
          return a && !ownedNames.has(styles.get(s)?.name ?? "") ? { delivery: a.orderForDelivery } : null;
        },
        weight: (s) => styles.get(s)?.skus.reduce((n, k) => n + k.here, 0) ?? 0,
        logSeason: (s) => logTrend(styles.get(s)?.trend, ranking.seasonWeight),
      });
      const next = order[i + batchSize];
      if (!next || (ranked.length >= limit && compareScores({ tier: next[1].tier, score: next[1].score + logBoost }, ranked[ranked.length - 1]) >= 0)) break;
    }
    return ranked;
  };

  let ranked = rankOnShelf(anchored);
  // Best sellers rank below everything anchored, so they only fill the places left: looked up only then.
  if (ranked.length < limit) {
    const season = loadSeason(db, storeId, now);
    if (season) ranked = rankOnShelf([...anchored, ...popularCandidates(season.sellers, season.anchor).filter((c) => !excluded(c.style))]);
  }

  return ranked.map(({ style, tier, score, best }) => {
    const info = styles.get(style)!;
    const a = availability.get(style)!;
    const size = sizeOf(info);
    const sku = size === null ? undefined : info.skus.find((k) => k.size === size)?.sku;
    const theirSize = sku ? size : null;
    return {
      style,
      ...(sku && size ? { sku, size } : {}),
      name: info.name,
      price: info.price,
      promoPercent: info.promoPercent,
      imagePath: info.imagePath,
      category: info.category,
      availability: a,
      stock: stockBadge(a, a.customerSizeInStock === null && !a.checkStock ? null : theirSize),
      reason: reasonFor(best, info.name, a, a.customerSizeInStock === null && !a.checkStock ? null : theirSize, storeId, now),
      source: best.source,
      anchor: anchorView(best.anchor, storeId),
      tier,
      score,
      status: feedback.thisVisit.get(style) ?? null,
    };
  });
}
