import { and, desc, eq, gt, gte, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type Db, perConnection } from "@/db/client";
import {
  type Channel,
  type RuleAnchorKind,
  type RuleTargetKind,
  type SuggestionSource,
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
  suggestionRules,
} from "@/db/schema";
import { DEFAULT_RULE_MESSAGE } from "./messages";

/**
 * "Goes with what you bought". Candidates come from head office's rules, mined co-purchase
 * associations and the customer's own browsing; each is anchored on something they bought (or looked
 * at). The pure functions below (history → candidates → ranked cards) are shared with the offline
 * evaluation; the loaders around them are a handful of indexed queries for one profile.
 *
 * Ranking. Each (candidate style, anchor) pair carries evidence e, with r = 0.5^(days since the
 * anchor / 90) and a = confidence × lift / (1 + lift) for the mined pair (anchor → style), 0 if unmined:
 *   rule         e = 1 + (priority / 100 + a) × r      priority 0–100: in [1, 3), so rules lead
 *   association  e = a × r                             in [0, 1)
 *   interest     e = w × r30, w = 0.6 wish-listed or in a basket, 0.3 viewed; r30 has a 30-day half-life
 * A style's evidence is its best rule e (if any) plus the noisy-or 1 − Π(1 − e) of its other evidence
 * (several purchases pointing at one item make it likelier, without leaving its tier). Its score is
 * that × (1 + promotion % / 100), × 0.5 when it can only be ordered for delivery. Ties go to the style
 * with more to sell (stock here). At most two cards per category.
 */

export const DAY_MS = 86_400_000;
export const DEFAULT_LIMIT = 6;
const PER_CATEGORY = 2;
const RECENCY_HALF_LIFE_DAYS = 90;
const INTEREST_HALF_LIFE_DAYS = 30;
const INTEREST_DAYS = 90;
/** Anchors beyond the most recent few add little and cost a lookup each. */
const MAX_ANCHORS = 30;
const ASSOCIATIONS_PER_ANCHOR = 10;
/** A dismissed suggestion stays away this long; taps within a visit update one event. */
export const DISMISS_DAYS = 30;
export const VISIT_MS = 12 * 60 * 60 * 1000;
const DELIVERY_FACTOR = 0.5;
const SHELF_BATCH_PER_CARD = 4;
const PROMO_BOUND_TTL_MS = 60_000;
const ONE_SIZE = "One size";

export type RuleDefinition = {
  id: number | null;
  name: string;
  anchorKind: RuleAnchorKind;
  anchorValue: string;
  withinDays: number;
  targetKind: RuleTargetKind;
  targetValue: string;
  priority: number;
  storeIds: number[] | null;
  activeFrom: number | null;
  activeTo: number | null;
  message: string;
};

export type Purchase = {
  placedAt: number;
  channel: Channel;
  storeId: number | null;
  storeName: string | null;
  style: string;
  sku: string;
  name: string;
  category: string;
  collection: string | null;
  brand: string;
  size: string | null;
  quantity: number;
};

/** The latest kept purchase of one style: what a suggestion is anchored on. */
export type Anchor = {
  style: string;
  skus: Set<string>;
  productName: string;
  category: string;
  collection: string | null;
  brand: string;
  at: number;
  channel: Channel;
  storeId: number | null;
  storeName: string | null;
};

export type CustomerHistory = {
  /** Newest first. */
  anchors: Anchor[];
  /** Styles bought and not (wholly) returned. */
  owned: Set<string>;
  /** Category → size: what they told an assistant, else the size they last kept in that category. */
  sizes: Map<string, string>;
};

export type Association = { anchorStyle: string; suggestStyle: string; confidence: number; lift: number };

export type InterestSignal = {
  style: string;
  productName: string;
  kind: "view" | "wishlist" | "cart";
  at: number;
  channel: "online" | "app";
  promoPercent: number | null;
  restockedHere: boolean;
};

export type CandidateSource = { kind: SuggestionSource; ruleId?: number | null; ruleName?: string; draft?: boolean; lift?: number; confidence?: number };

export type AnchorView = { style: string; productName: string; date: number; place: string; channel: Channel };

export type Candidate = {
  style: string;
  evidence: number;
  source: CandidateSource;
  anchor: Anchor | InterestSignal;
  message?: string;
};

export type StyleInfo = {
  style: string;
  name: string;
  category: string;
  price: number;
  promoPercent: number | null;
  imagePath: string | null;
  /** Active sizes: stock here and whether another store has it. */
  skus: { id: number; sku: string; size: string | null; here: number; elsewhere: boolean }[];
};

export type Availability = {
  inStoreSizes: string[];
  /** Null when their size in this category is not known, or the item has one size. */
  customerSizeInStock: boolean | null;
  /** Another store has it (in their size, if known); looked up only when this store cannot sell it. */
  elsewhere: boolean;
  orderForDelivery: boolean;
};

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
  reason: string;
  source: CandidateSource;
  anchor: AnchorView;
  score: number;
  status: SuggestionStatus | null;
};

export function recency(at: number, now: number, halfLifeDays = RECENCY_HALF_LIFE_DAYS): number {
  return 0.5 ** (Math.max(0, now - at) / DAY_MS / halfLifeDays);
}

export function associationStrength(a: Pick<Association, "confidence" | "lift"> | undefined): number {
  return a ? (a.confidence * a.lift) / (1 + a.lift) : 0;
}

/**
 * The order in which mined pairs are kept (top K per anchor) for the engine: its own strength, so the
 * stored pairs are those it would rank first. Lift alone keeps rare items that are seldom bought.
 */
export function compareByStrength(a: Pick<Association, "confidence" | "lift">, b: Pick<Association, "confidence" | "lift">): number {
  return associationStrength(b) - associationStrength(a) || b.lift - a.lift;
}

/** Purchases (any order) and stated sizes → what they own, what anchors a suggestion, their sizes. */
export function customerHistory(purchases: Purchase[], stated: { category: string; size: string | null }[] = []): CustomerHistory {
  const net = new Map<string, number>();
  for (const p of purchases) net.set(p.style, (net.get(p.style) ?? 0) + p.quantity);
  const owned = new Set([...net].filter(([, q]) => q > 0).map(([s]) => s));
  const byStyle = new Map<string, Anchor>();
  const sizeAt = new Map<string, { size: string; at: number }>();
  for (const p of purchases) {
    if (p.quantity <= 0 || !owned.has(p.style)) continue;
    const anchor = byStyle.get(p.style);
    if (!anchor || p.placedAt > anchor.at) {
      byStyle.set(p.style, { style: p.style, skus: new Set([...(anchor?.skus ?? []), p.sku]), productName: p.name, category: p.category, collection: p.collection, brand: p.brand, at: p.placedAt, channel: p.channel, storeId: p.storeId, storeName: p.storeName });
    } else anchor.skus.add(p.sku);
    const known = sizeAt.get(p.category);
    if (p.size !== null && (!known || p.placedAt > known.at)) sizeAt.set(p.category, { size: p.size, at: p.placedAt });
  }
  const sizes = new Map([...sizeAt].map(([category, { size }]) => [category, size]));
  for (const s of stated) if (s.size) sizes.set(s.category, s.size);
  const anchors = [...byStyle.values()].sort((a, b) => b.at - a.at || a.style.localeCompare(b.style));
  return { anchors, owned, sizes };
}

export function ruleIsLive(rule: Pick<RuleDefinition, "storeIds" | "activeFrom" | "activeTo">, storeId: number | null, now: number): boolean {
  if (rule.activeFrom !== null && now < rule.activeFrom) return false;
  if (rule.activeTo !== null && now > rule.activeTo) return false;
  return rule.storeIds === null || (storeId !== null && rule.storeIds.includes(storeId));
}

export function anchorMatches(rule: Pick<RuleDefinition, "anchorKind" | "anchorValue">, anchor: Anchor): boolean {
  switch (rule.anchorKind) {
    case "sku":
      return anchor.style === rule.anchorValue || anchor.skus.has(rule.anchorValue);
    case "category":
      return anchor.category === rule.anchorValue;
    case "collection":
      return anchor.collection === rule.anchorValue;
    case "brand":
      return anchor.brand === rule.anchorValue;
  }
}

/** The most recent purchase within the rule's window that its anchor matches, if any. */
export function ruleAnchor(rule: RuleDefinition, history: CustomerHistory, now: number): Anchor | null {
  const since = now - rule.withinDays * DAY_MS;
  return history.anchors.find((a) => a.at >= since && a.at <= now && anchorMatches(rule, a)) ?? null;
}

/**
 * Rules whose anchor the customer bought within D days, each suggesting its target styles.
 * `targets` lists a rule's styles (one for a SKU target, many for a category or collection);
 * `pairs` scores how well each goes with the anchor, so the better companions of a category lead.
 */
export function ruleCandidates(
  history: CustomerHistory,
  rules: RuleDefinition[],
  targets: (rule: RuleDefinition) => string[],
  pairs: Map<string, Association>,
  now: number,
  draftId: number | null = null,
): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of rules) {
    const anchor = ruleAnchor(rule, history, now);
    if (!anchor) continue;
    const r = recency(anchor.at, now);
    for (const style of targets(rule)) {
      if (style === anchor.style) continue;
      const pair = pairs.get(pairKey(anchor.style, style));
      out.push({
        style,
        evidence: 1 + (rule.priority / 100 + associationStrength(pair)) * r,
        source: { kind: "rule", ruleId: rule.id, ruleName: rule.name, ...(rule.id === draftId ? { draft: true } : {}) },
        anchor,
        message: rule.message,
      });
    }
  }
  return out;
}

export function pairKey(anchorStyle: string, style: string): string {
  return `${anchorStyle}\u0000${style}`;
}

export function associationCandidates(history: CustomerHistory, associations: Association[], now: number): Candidate[] {
  const anchors = new Map(history.anchors.map((a) => [a.style, a]));
  return associations.flatMap((a) => {
    const anchor = anchors.get(a.anchorStyle);
    if (!anchor) return [];
    return [{ style: a.suggestStyle, evidence: associationStrength(a) * recency(anchor.at, now), source: { kind: "association" as const, lift: a.lift, confidence: a.confidence }, anchor }];
  });
}

/** Only what they looked at that has changed in their favour since: now on promotion, or restocked here. */
export function interestCandidates(signals: InterestSignal[], now: number): Candidate[] {
  return signals
    .filter((s) => (s.promoPercent ?? 0) > 0 || (s.kind !== "view" && s.restockedHere))
    .map((s) => ({ style: s.style, evidence: (s.kind === "view" ? 0.3 : 0.6) * recency(s.at, now, INTEREST_HALF_LIFE_DAYS), source: { kind: "interest" as const }, anchor: s }));
}

/** Sizes are per category, so one style's availability depends on the customer's size in its category. */
export function availabilityFor(info: StyleInfo, customerSize: string | null): Availability | null {
  const inStoreSizes = info.skus.filter((s) => s.here > 0).map((s) => s.size ?? ONE_SIZE);
  const sized = info.skus.some((s) => s.size !== null);
  if (customerSize !== null && sized) {
    const theirs = info.skus.find((s) => s.size === customerSize);
    if (!theirs || (theirs.here <= 0 && !theirs.elsewhere)) return null;
    return { inStoreSizes, customerSizeInStock: theirs.here > 0, elsewhere: theirs.elsewhere, orderForDelivery: theirs.here <= 0 };
  }
  const elsewhere = info.skus.some((s) => s.elsewhere);
  if (inStoreSizes.length === 0 && !elsewhere) return null;
  return { inStoreSizes, customerSizeInStock: null, elsewhere, orderForDelivery: inStoreSizes.length === 0 };
}

export type RankOptions = {
  limit: number;
  perCategory?: number;
  owned: Set<string>;
  /** Styles to leave out besides those owned (recently dismissed). */
  exclude?: Set<string>;
  category: (style: string) => string | undefined;
  promoPercent: (style: string) => number | null;
  /** Null drops the style (inactive, or nowhere to be had); `delivery` lowers it. */
  sellable: (style: string) => { delivery: boolean } | null;
  /** Tie-break: more to sell first. */
  weight?: (style: string) => number;
};

export type Ranked = { style: string; score: number; best: Candidate };

/** Per style: the best rule's evidence plus the noisy-or of the rest (see the ranking note at the top). */
export function evidenceByStyle(candidates: Candidate[]): Map<string, { evidence: number; best: Candidate }> {
  const byStyle = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = byStyle.get(c.style);
    if (list) list.push(c);
    else byStyle.set(c.style, [c]);
  }
  const out = new Map<string, { evidence: number; best: Candidate }>();
  for (const [style, list] of byStyle) {
    list.sort((a, b) => b.evidence - a.evidence);
    const best = list[0];
    const lead = best.source.kind === "rule" ? best.evidence : 0;
    const miss = (lead ? list.slice(1) : list).reduce((m, c) => m * (1 - Math.min(0.999, c.source.kind === "rule" ? c.evidence - 1 : c.evidence)), 1);
    out.set(style, { evidence: lead + 1 - miss, best });
  }
  return out;
}

export function rankCandidates(candidates: Candidate[], options: RankOptions): Ranked[] {
  const scored: (Ranked & { weight: number })[] = [];
  for (const [style, { evidence, best }] of evidenceByStyle(candidates)) {
    if (options.owned.has(style) || options.exclude?.has(style) || options.category(style) === undefined) continue;
    const sellable = options.sellable(style);
    if (!sellable) continue;
    const promo = options.promoPercent(style) ?? 0;
    const score = evidence * (1 + promo / 100) * (sellable.delivery ? DELIVERY_FACTOR : 1);
    scored.push({ style, score, best, weight: options.weight?.(style) ?? 0 });
  }
  scored.sort((a, b) => b.score - a.score || b.weight - a.weight || a.style.localeCompare(b.style));
  const perCategory = options.perCategory ?? PER_CATEGORY;
  const taken = new Map<string, number>();
  const out: Ranked[] = [];
  for (const { weight: _weight, ...r } of scored) {
    if (out.length >= options.limit) break;
    const category = options.category(r.style)!;
    const n = taken.get(category) ?? 0;
    if (n >= perCategory) continue;
    taken.set(category, n + 1);
    out.push(r);
  }
  return out;
}

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "Europe/London" });
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

export function spokenDate(at: number, now: number): string {
  const year = (t: number) => new Date(t).toLocaleString("en-GB", { year: "numeric", timeZone: "Europe/London" });
  return (year(at) === year(now) ? dayMonth : dayMonthYear).format(new Date(at));
}

function isInterest(anchor: Anchor | InterestSignal): anchor is InterestSignal {
  return "kind" in anchor;
}

export function anchorView(anchor: Anchor | InterestSignal, storeId: number | null): AnchorView {
  if (isInterest(anchor)) return { style: anchor.style, productName: anchor.productName, date: anchor.at, place: anchor.channel === "app" ? "in the app" : "online", channel: anchor.channel };
  const place =
    anchor.channel === "online" ? "online" : anchor.channel === "app" ? "in the app" : anchor.storeId !== null && anchor.storeId === storeId ? "here" : `in ${anchor.storeName ?? "one of our stores"}`;
  return { style: anchor.style, productName: anchor.productName, date: anchor.at, place, channel: anchor.channel };
}

function listSizes(sizes: string[]): string {
  const shown = sizes.slice(0, 5);
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

export function availabilityClause(a: Availability, customerSize: string | null): string {
  if (a.orderForDelivery) {
    return a.customerSizeInStock === false ? `not here in your size (${customerSize}), but we can order it for delivery.` : "not in stock here, but we can order it for delivery.";
  }
  if (a.customerSizeInStock) return `we have it in your size (${customerSize}).`;
  if (a.inStoreSizes.length === 1 && a.inStoreSizes[0] === ONE_SIZE) return "we have it here.";
  return `we have it here in ${listSizes(a.inStoreSizes)}.`;
}

export function fillTemplate(template: string, values: { anchor: string; anchorDate: string; anchorPlace: string; product: string }): string {
  return template.replace(/\{(anchor|anchorDate|anchorPlace|product)\}/g, (_, key: keyof typeof values) => values[key]);
}

const INTEREST_VERBS = { view: "You looked at it", wishlist: "You wish-listed it", cart: "You had it in your basket" } as const;

/** The sentence the assistant can say: the anchor (what, where, when), then whether we have it. */
export function reasonFor(candidate: Candidate, productName: string, availability: Availability, customerSize: string | null, storeId: number | null, now: number): string {
  const view = anchorView(candidate.anchor, storeId);
  const date = spokenDate(view.date, now);
  const clause = availabilityClause(availability, customerSize);
  const anchor = candidate.anchor;
  if (isInterest(anchor)) {
    const change = (anchor.promoPercent ?? 0) > 0 ? `it is now ${anchor.promoPercent}% off` : "it is back in stock";
    return `${INTEREST_VERBS[anchor.kind]} ${view.place} on ${date}: ${change}, and ${clause}`;
  }
  const values = { anchor: view.productName, anchorDate: date, anchorPlace: view.place, product: productName };
  const lead =
    candidate.source.kind === "rule"
      ? fillTemplate(candidate.message ?? DEFAULT_RULE_MESSAGE, values)
      : `Often bought with the ${view.productName} you bought ${view.place} on ${date}`;
  return `${lead.trim().replace(/[.!]+$/, "")} — ${clause}`;
}

// ——— Loaders: one profile's rows through indexed lookups, as statements prepared once per connection. ———

const p = sql.placeholder;
/** A list bound as one JSON parameter, so an IN over any number of values is still one prepared statement. */
const inJson = (column: SQLiteColumn, name: string) => sql`${column} in (select value from json_each(${p(name)}))`;

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

function prepareStatements(db: Db) {
  return {
    purchases: db
      .select(PURCHASE_COLUMNS)
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .innerJoin(products, eq(products.id, orderLines.productId))
      .leftJoin(stores, eq(stores.id, orders.storeId))
      .where(eq(orders.profileId, p("profileId")))
      .prepare(),
    preferences: db.select({ category: preferences.category, size: preferences.size }).from(preferences).where(eq(preferences.profileId, p("profileId"))).prepare(),
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
      .select({ anchorStyle: associationRules.anchorStyle, suggestStyle: associationRules.suggestStyle, confidence: associationRules.confidence, lift: associationRules.lift })
      .from(associationRules)
      .where(and(inJson(associationRules.anchorStyle, "styles"), lte(associationRules.rank, p("perAnchor"))))
      .prepare(),
    skuTarget: db
      .selectDistinct({ style: products.style })
      .from(products)
      .where(or(eq(products.sku, p("value")), eq(products.style, p("value"))))
      .prepare(),
    categoryTarget: db
      .selectDistinct({ style: products.style })
      .from(products)
      .where(and(eq(products.category, p("value")), eq(products.active, true)))
      .prepare(),
    collectionTarget: db
      .selectDistinct({ style: products.style })
      .from(products)
      .where(and(eq(products.collection, p("value")), eq(products.active, true)))
      .prepare(),
    interest: db
      .select({
        style: products.style,
        productName: products.name,
        kind: interactions.kind,
        at: interactions.at,
        source: sources.name,
        promoPercent: products.promoPercent,
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
      })
      .from(products)
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
      .select({ style: suggestionEvents.style, status: suggestionEvents.status, at: suggestionEvents.at, updatedAt: suggestionEvents.updatedAt })
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

export function loadAssociations(db: Db, anchorStyles: string[], perAnchor = ASSOCIATIONS_PER_ANCHOR): Association[] {
  if (anchorStyles.length === 0) return [];
  return statements(db).associations.all({ styles: JSON.stringify(anchorStyles), perAnchor });
}

/** Styles a rule's target names: a SKU (or style code), or every active style of a category or collection. */
export function loadTargetStyles(db: Db, kind: RuleTargetKind, value: string): string[] {
  const s = statements(db);
  const stmt = kind === "sku" ? s.skuTarget : kind === "category" ? s.categoryTarget : s.collectionTarget;
  return stmt.all({ value }).map((r) => r.style);
}

export function loadInterest(db: Db, profileId: number, storeId: number | null, now: number): InterestSignal[] {
  return statements(db)
    .interest.all({ profileId, storeId: storeId ?? -1, since: now - INTEREST_DAYS * DAY_MS, now })
    .map(({ source, kind, restockedHere, ...r }) => ({ ...r, kind: kind as InterestSignal["kind"], channel: source === "app" ? "app" : "online", restockedHere: Boolean(restockedHere) }));
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
      info = { style: r.style, name: r.name, category: r.category, price: r.price, promoPercent: r.promoPercent, imagePath: r.imagePath, skus: [] };
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
  const found = new Set(statements(db).stockElsewhere.all({ storeId, ids: JSON.stringify(skus.map((k) => k.id)) }).map((r) => r.productId));
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

export function loadFeedback(db: Db, profileId: number, now: number): Feedback {
  const rows = statements(db).feedback.all({ profileId, since: now - DISMISS_DAYS * DAY_MS });
  const dismissed = new Set<string>();
  const thisVisit = new Map<string, SuggestionStatus>();
  for (const r of rows) {
    if (r.at >= now - VISIT_MS) thisVisit.set(r.style, r.status);
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
};

export function suggestForProfile(db: Db, options: SuggestOptions): SuggestionCard[] {
  const { profileId, storeId, now, limit = DEFAULT_LIMIT, draftRule } = options;
  const history = customerHistory(loadPurchases(db, profileId), loadPreferences(db, profileId));
  const recent = history.anchors.filter((a) => a.at <= now).slice(0, MAX_ANCHORS);
  const scoped = { ...history, anchors: recent };

  const stored = loadRules(db, now).filter((r) => r.id !== draftRule?.id);
  const rules = [...stored, ...(draftRule ? [draftRule] : [])].filter((r) => ruleIsLive(r, storeId, now) && ruleAnchor(r, scoped, now) !== null);
  const targets = new Map(rules.map((r) => [r, loadTargetStyles(db, r.targetKind, r.targetValue)]));
  const associations = loadAssociations(db, recent.map((a) => a.style));
  const pairs = new Map(associations.map((a) => [pairKey(a.anchorStyle, a.suggestStyle), a]));
  const signals = loadInterest(db, profileId, storeId, now);
  const feedback = loadFeedback(db, profileId, now);

  const candidates = [
    ...ruleCandidates(scoped, rules, (r) => targets.get(r) ?? [], pairs, now, draftRule?.id ?? null),
    ...associationCandidates(scoped, associations, now),
    ...interestCandidates(signals, now),
  ].filter((c) => !history.owned.has(c.style) && !feedback.dismissed.has(c.style));
  // Shelf checks cost index walks, so styles are checked best evidence first, a batch at a time, until
  // no unchecked style could still make the list even at the deepest promotion in the range.
  const boost = 1 + maxPromoPercent(db, now) / 100;
  const order = [...evidenceByStyle(candidates)].sort(([, a], [, b]) => b.evidence - a.evidence);
  const styles = new Map<string, StyleInfo>();
  const availability = new Map<string, Availability | null>();
  const sizeOf = (info: StyleInfo) => history.sizes.get(info.category) ?? null;
  // The same garment in another colour is a separate style but not something that "goes with" it.
  const ownedNames = new Set(history.anchors.map((a) => a.productName));
  let ranked: Ranked[] = [];
  for (let i = 0; i < order.length; i += limit * SHELF_BATCH_PER_CARD) {
    const batch = loadStyles(db, order.slice(i, i + limit * SHELF_BATCH_PER_CARD).map(([style]) => style), storeId);
    loadElsewhere(db, [...batch.values()].filter((info) => availabilityFor(info, sizeOf(info)) === null), storeId);
    for (const info of batch.values()) {
      styles.set(info.style, info);
      availability.set(info.style, availabilityFor(info, sizeOf(info)));
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
    });
    const next = order[i + limit * SHELF_BATCH_PER_CARD];
    if (!next || (ranked.length >= limit && next[1].evidence * boost <= ranked[ranked.length - 1].score)) break;
  }

  return ranked.map(({ style, score, best }) => {
    const info = styles.get(style)!;
    const a = availability.get(style)!;
    const size = sizeOf(info);
    const sku = size === null ? undefined : info.skus.find((k) => k.size === size)?.sku;
    return {
      style,
      ...(sku && size ? { sku, size } : {}),
      name: info.name,
      price: info.price,
      promoPercent: info.promoPercent,
      imagePath: info.imagePath,
      category: info.category,
      availability: a,
      reason: reasonFor(best, info.name, a, a.customerSizeInStock === null ? null : size, storeId, now),
      source: best.source,
      anchor: anchorView(best.anchor, storeId),
      score,
      status: feedback.thisVisit.get(style) ?? null,
    };
  });
}
