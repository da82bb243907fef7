import { DAY_MS } from "@/lib/days";
import type { RankingSettings } from "./settings";
import type { AssociationKind, Channel, RuleAnchorKind, RuleTargetKind, SuggestionSource } from "@/db/schema";

/**
 * "Goes with what you bought", the pure part: history → candidates → ranked styles, shared by the
 * engine (lib/suggest/engine.ts, which loads one profile's rows) and the offline evaluations.
 *
 * Ranking. Each (candidate style, anchor) pair carries evidence e:
 *   rule         tier 1, e = (priority / 100 + a) × r, a = confidence × lift / (1 + lift) of the mined
 *                pair (anchor → style), 0 if unmined, r = 0.5^(days since the anchor / 90)
 *   association  tier 0, e = a × w: w = 0.5^(d / h) where d is the days between this purchase and
 *                the customer's own last purchase (their next basket resembles their latest ones,
 *                however long ago that was) and h a product setting (RANKING_DEFAULTS in ./settings.ts).
 *                On the validation split of a real shop, a beat the pair's cosine √(support × lift)
 *                as the measure (eval:suggest --real … --validate). A "went on to buy" pair (customers
 *                who bought the anchor bought the style later, mined from the orders that followed
 *                theirs) counts the same way × nextWeight (a setting): it catches what a shopper's next
 *                order brings, which bought-together pairs miss
 *   interest     tier 0, e = v × r30, v = 0.6 wish-listed or in a basket, 0.3 viewed; r30 has a 30-day half-life
 *   popular      tier −1, e = share of the season's orders holding the style (the top-up when the rest run short)
 * A style takes its best tier; within it, its evidence is the sum of its evidence there (several
 * purchases pointing at one item make it likelier, each as much as it goes with it), then
 * × (1 + promotion % / 100), × 0.5 when it can only be ordered for delivery, × (what sells now)
 * ((season orders + 1) / (year orders + 1))^seasonWeight: a style whose sales are a year old falls
 * below one that sells this season (on a real shop's validation split it added 0.015 to hit@5). The strongest single
 * piece names the purchase in the reason. All of it is kept as logarithms: a rule's r is
 * 2^−(age / 90 days), which leaves the range of a double after about 250 years, and a shop whose last
 * sale was two years ago must still rank by evidence. Ties go to the style with more to sell (stock
 * here). At most two cards per category (items without a category are not capped).
 */

export const DEFAULT_LIMIT = 6;
const PER_CATEGORY = 2;
const RECENCY_HALF_LIFE_DAYS = 90;
const INTEREST_HALF_LIFE_DAYS = 30;
const LOG_DELIVERY_FACTOR = Math.log(0.5);
export const ONE_SIZE = "One size";
/** Products imported without a category carry this; they are not capped per category. */
export const NO_CATEGORY = "";

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
  /** Styles bought and wholly returned: they did not want it, so it is not suggested again. */
  returned: Set<string>;
  /** Category → size: what they told an assistant, else the size they last kept in that category. */
  sizes: Map<string, string>;
};

/** A mined pair: bought together, or bought by customers later, after the anchor ("next"). */
export type Association = { anchorStyle: string; suggestStyle: string; kind?: AssociationKind; confidence: number; lift: number };

export type InterestSignal = {
  style: string;
  productName: string;
  kind: "view" | "wishlist" | "cart";
  at: number;
  channel: "online" | "app";
  promoPercent: number | null;
  restockedHere: boolean;
};

/** What a best-seller card stands on: the orders of a season, here or across the chain. */
export type SeasonAnchor = { season: true; from: number; to: number; here: boolean };

export type CandidateSource = {
  kind: SuggestionSource;
  ruleId?: number | null;
  ruleName?: string;
  draft?: boolean;
  lift?: number;
  confidence?: number;
  /** A "went on to buy" pair: customers who bought the anchor bought it later. */
  next?: boolean;
};

/** What a card stands on, for the screen and the feedback record; no style or channel for a best-seller. */
export type AnchorView = { style: string | null; productName: string | null; date: number; place: string; channel: Channel | null };

export type Candidate = {
  style: string;
  /** 1 rule, 0 association or interest, −1 the best-seller top-up: a higher tier always ranks first. */
  tier: number;
  /** ln e (see the ranking note at the top); −Infinity for no evidence besides the tier. */
  logEvidence: number;
  source: CandidateSource;
  anchor: Anchor | InterestSignal | SeasonAnchor;
  message?: string;
};

export type StyleInfo = {
  style: string;
  name: string;
  category: string;
  price: number;
  promoPercent: number | null;
  imagePath: string | null;
  /** Orders holding it in the chain's season and in the year to the last sale (none when never sold). */
  trend: StyleTrend | null;
  /** Active sizes: stock here and whether another store has it. */
  skus: { id: number; sku: string; size: string | null; here: number; elsewhere: boolean }[];
};

export type Availability = {
  inStoreSizes: string[];
  /** The sizes the card names: those here, or every size made when there is no stock feed. */
  sizes: string[];
  /** No stock feed for this store: the assistant checks the stockroom. */
  checkStock: boolean;
  /** Null when their size in this category is not known, or the item has one size. */
  customerSizeInStock: boolean | null;
  /** Another store has it (in their size, if known); looked up only when this store cannot sell it. */
  elsewhere: boolean;
  orderForDelivery: boolean;
};

export function recency(at: number, now: number, halfLifeDays = RECENCY_HALF_LIFE_DAYS): number {
  return Math.exp(logRecency(at, now, halfLifeDays));
}

/** ln of recency(): exact however old the purchase (the power itself underflows). */
export function logRecency(at: number, now: number, halfLifeDays = RECENCY_HALF_LIFE_DAYS): number {
  return (-Math.LN2 * Math.max(0, now - at)) / DAY_MS / halfLifeDays;
}

export function associationStrength(a: Pick<Association, "confidence" | "lift"> | undefined): number {
  return a ? (a.confidence * a.lift) / (1 + a.lift) : 0;
}

/** ln(e^a + e^b + …) without overflow or underflow. */
export function logSumExp(logs: number[]): number {
  const max = Math.max(...logs);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(logs.reduce((sum, l) => sum + Math.exp(l - max), 0));
}

export function compareByStrength(a: Pick<Association, "confidence" | "lift">, b: Pick<Association, "confidence" | "lift">): number {
  return associationStrength(b) - associationStrength(a) || b.lift - a.lift;
}

/** Purchases (any order) and stated sizes → what they own, what anchors a suggestion, their sizes. */
export function customerHistory(purchases: Purchase[], stated: { category: string; size: string | null }[] = []): CustomerHistory {
  const net = new Map<string, number>();
  for (const p of purchases) net.set(p.style, (net.get(p.style) ?? 0) + p.quantity);
  const owned = new Set([...net].filter(([, q]) => q > 0).map(([s]) => s));
  const returned = new Set([...net].filter(([, q]) => q <= 0).map(([s]) => s));
  const byStyle = new Map<string, Anchor>();
  const sizeAt = new Map<string, { size: string; at: number }>();
  for (const p of purchases) {
    if (p.quantity <= 0 || !owned.has(p.style)) continue;
    const anchor = byStyle.get(p.style);
    if (!anchor || p.placedAt > anchor.at) {
      byStyle.set(p.style, {
        style: p.style,
        skus: new Set([...(anchor?.skus ?? []), p.sku]),
        productName: p.name,
        category: p.category,
        collection: p.collection,
        brand: p.brand,
        at: p.placedAt,
        channel: p.channel,
        storeId: p.storeId,
        storeName: p.storeName,
      });
    } else anchor.skus.add(p.sku);
    const known = sizeAt.get(p.category);
    if (p.size !== null && (!known || p.placedAt > known.at)) sizeAt.set(p.category, { size: p.size, at: p.placedAt });
  }
  const sizes = new Map([...sizeAt].map(([category, { size }]) => [category, size]));
  for (const s of stated) if (s.size) sizes.set(s.category, s.size);
  const anchors = [...byStyle.values()].sort((a, b) => b.at - a.at || a.style.localeCompare(b.style));
  return { anchors, owned, returned, sizes };
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
    const logR = logRecency(anchor.at, now);
    for (const style of targets(rule)) {
      if (style === anchor.style) continue;
      const pair = pairs.get(pairKey(anchor.style, style));
      out.push({
        style,
        tier: 1,
        logEvidence: Math.log(rule.priority / 100 + associationStrength(pair)) + logR,
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

/**
 * Mined companions of the customer's purchases, each weighted by how recent the purchase is relative to
 * their own last one (`halfLifeDays`), not to today: a customer last seen a year ago is asked about
 * what they bought last, as one seen yesterday is.
 */
export function associationCandidates(
  history: CustomerHistory,
  associations: Association[],
  settings: Pick<RankingSettings, "halfLifeDays" | "nextWeight">,
): Candidate[] {
  const anchors = new Map(history.anchors.map((a) => [a.style, a]));
  const last = Math.max(...history.anchors.map((a) => a.at));
  const logNext = Math.log(settings.nextWeight);
  return associations.flatMap((a) => {
    const anchor = anchors.get(a.anchorStyle);
    if (!anchor) return [];
    const next = a.kind === "next";
    if (next && settings.nextWeight <= 0) return [];
    const source = { kind: "association" as const, lift: a.lift, confidence: a.confidence, ...(next ? { next } : {}) };
    const logEvidence = Math.log(associationStrength(a)) + logRecency(anchor.at, last, settings.halfLifeDays) + (next ? logNext : 0);
    return [{ style: a.suggestStyle, tier: 0, logEvidence, source, anchor }];
  });
}

/** Only what they looked at that has changed in their favour since: now on promotion, or restocked here. */
export function interestCandidates(signals: InterestSignal[], now: number): Candidate[] {
  return signals
    .filter((s) => (s.promoPercent ?? 0) > 0 || (s.kind !== "view" && s.restockedHere))
    .map((s) => ({
      style: s.style,
      tier: 0,
      logEvidence: Math.log(s.kind === "view" ? 0.3 : 0.6) + logRecency(s.at, now, INTEREST_HALF_LIFE_DAYS),
      source: { kind: "interest" as const },
      anchor: s,
    }));
}

/** What sells: styles with the share of the season's orders holding them, best first. */
export type Seller = { style: string; share: number };

/** The top-up below everything anchored on the customer: the season's best-sellers, said as such. */
export function popularCandidates(sellers: Seller[], season: SeasonAnchor): Candidate[] {
  return sellers.map((s) => ({ style: s.style, tier: -1, logEvidence: Math.log(s.share), source: { kind: "popular" as const }, anchor: season }));
}

/** How a store's shelf is known: from a stock feed or not at all, and whether an empty shelf may be ordered for delivery. */
export type ShelfPolicy = { stockFeed: boolean; orderForDelivery: boolean };

/**
 * Sizes are per category, so one style's availability depends on the customer's size in its category.
 * Without a stock feed nothing is known to be missing: the card says to check the stock, in their size
 * when it exists. Null drops the style.
 */
export function availabilityFor(info: StyleInfo, customerSize: string | null, shelf: ShelfPolicy): Availability | null {
  const sized = info.skus.some((s) => s.size !== null);
  const theirs = customerSize !== null && sized ? (info.skus.find((s) => s.size === customerSize) ?? null) : undefined;
  if (theirs === null) return null;
  if (!shelf.stockFeed) {
    const sizes = info.skus.map((s) => s.size ?? ONE_SIZE);
    return { inStoreSizes: [], sizes, checkStock: true, customerSizeInStock: null, elsewhere: false, orderForDelivery: false };
  }
  const inStoreSizes = info.skus.filter((s) => s.here > 0).map((s) => s.size ?? ONE_SIZE);
  const stocked = { inStoreSizes, sizes: inStoreSizes, checkStock: false };
  if (theirs) {
    if (theirs.here > 0) return { ...stocked, customerSizeInStock: true, elsewhere: theirs.elsewhere, orderForDelivery: false };
    if (!shelf.orderForDelivery || !theirs.elsewhere) return null;
    return { ...stocked, customerSizeInStock: false, elsewhere: true, orderForDelivery: true };
  }
  if (inStoreSizes.length > 0) return { ...stocked, customerSizeInStock: null, elsewhere: false, orderForDelivery: false };
  const elsewhere = info.skus.some((s) => s.elsewhere);
  if (!shelf.orderForDelivery || !elsewhere) return null;
  return { ...stocked, customerSizeInStock: null, elsewhere, orderForDelivery: true };
}

export type StyleTrend = { seasonOrders: number; yearOrders: number };

/**
 * ln of "what sells now": the style's share of its year's orders that fell in the season, smoothed by
 * one order (a style never sold counts as new, not as out of season) and raised to `weight`. At most 0,
 * so it only ever lowers a score.
 */
export function logTrend(trend: StyleTrend | null | undefined, weight: number): number {
  if (!trend || weight === 0) return 0;
  return weight * Math.log((trend.seasonOrders + 1) / (trend.yearOrders + 1));
}

export type RankOptions = {
  limit: number;
  perCategory?: number;
  owned: Set<string>;
  /** Styles to leave out besides those owned (recently dismissed, returned). */
  exclude?: Set<string>;
  category: (style: string) => string | undefined;
  promoPercent: (style: string) => number | null;
  /** Null drops the style (inactive, or nowhere to be had); `delivery` lowers it. */
  sellable: (style: string) => { delivery: boolean } | null;
  /** Tie-break: more to sell first. */
  weight?: (style: string) => number;
  /** ln of a factor at most 1 on the style's evidence (logTrend): how out of season it is. */
  logSeason?: (style: string) => number;
};

/** `score` is ln of the evidence within its tier (see the ranking note at the top). */
export type Ranked = { style: string; tier: number; score: number; best: Candidate };

/** Higher tier first, then higher log score. */
export function compareScores(a: { tier: number; score: number }, b: { tier: number; score: number }): number {
  return b.tier - a.tier || (b.score === a.score ? 0 : b.score > a.score ? 1 : -1);
}

/** Per style: its best tier, and there the sum of its evidence, as ln; `best` is the strongest piece. */
export function evidenceByStyle(candidates: Candidate[]): Map<string, { tier: number; score: number; best: Candidate }> {
  const byStyle = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = byStyle.get(c.style);
    if (list) list.push(c);
    else byStyle.set(c.style, [c]);
  }
  const out = new Map<string, { tier: number; score: number; best: Candidate }>();
  for (const [style, list] of byStyle) {
    list.sort((a, b) => b.tier - a.tier || b.logEvidence - a.logEvidence);
    const best = list[0];
    const score = logSumExp(list.filter((c) => c.tier === best.tier).map((c) => c.logEvidence));
    out.set(style, { tier: best.tier, score, best });
  }
  return out;
}

export function rankCandidates(candidates: Candidate[], options: RankOptions): Ranked[] {
  const scored: (Ranked & { weight: number })[] = [];
  for (const [style, { tier, score: evidence, best }] of evidenceByStyle(candidates)) {
    if (options.owned.has(style) || options.exclude?.has(style) || options.category(style) === undefined) continue;
    const sellable = options.sellable(style);
    if (!sellable) continue;
    const promo = options.promoPercent(style) ?? 0;
    const score = evidence + Math.log1p(promo / 100) + (sellable.delivery ? LOG_DELIVERY_FACTOR : 0) + (options.logSeason?.(style) ?? 0);
    scored.push({ style, tier, score, best, weight: options.weight?.(style) ?? 0 });
  }
  scored.sort((a, b) => compareScores(a, b) || b.weight - a.weight || a.style.localeCompare(b.style));
  const perCategory = options.perCategory ?? PER_CATEGORY;
  const taken = new Map<string, number>();
  const out: Ranked[] = [];
  for (const { weight: _weight, ...r } of scored) {
    if (out.length >= options.limit) break;
    const category = options.category(r.style)!;
    const n = taken.get(category) ?? 0;
    if (category !== NO_CATEGORY && n >= perCategory) continue;
    taken.set(category, n + 1);
    out.push(r);
  }
  return out;
}
