import { type SQL, and, asc, desc, eq, gt, gte, isNull, lte, sql } from "drizzle-orm";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { orderLines, orders, products, seasonSellers, stores, styleTrends } from "@/db/schema";
import { DAY_MS } from "@/lib/days";
import { type SeasonAnchor, type Seller } from "./rank";

/**
 * "What sells here this season": the best sellers of the 13 weeks up to the last sale in a store, or
 * across the chain for a store with no sales. Counting a season of order lines takes a large part of a
 * second on a busy chain, so the nightly mining pass keeps the answer in `season_sellers`
 * (refreshSeasonSellers) and a request reads a few rows; only a date before that pass (head office's
 * preview of another day) or a store never mined counts them live.
 */

/** "This season": the best-sellers of the 13 weeks up to the last sale. */
export const SEASON_DAYS = 91;
const SELLERS = 60;
const TREND_INSERT_CHUNK = 1000;

export type Season = { sellers: Seller[]; anchor: SeasonAnchor };

const p = sql.placeholder;

function seasonWindow(store?: SQL) {
  return and(store, gte(orders.placedAt, p("from")), lte(orders.placedAt, p("to")));
}

function sellersOf(db: Db, store?: SQL) {
  const orderCount = sql<number>`count(distinct ${orders.id})`;
  return db
    .select({ style: products.style, orders: orderCount })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(and(seasonWindow(store), gt(orderLines.quantity, 0), eq(products.active, true)))
    .groupBy(products.style)
    .orderBy(desc(orderCount), products.style)
    .limit(SELLERS)
    .prepare();
}

function seasonOrdersOf(db: Db, store?: SQL) {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(orders)
    .where(seasonWindow(store))
    .prepare();
}

function storedOf(db: Db, store: SQL) {
  return db
    .select({ style: seasonSellers.style, share: seasonSellers.share, from: seasonSellers.seasonFrom, to: seasonSellers.seasonTo })
    .from(seasonSellers)
    .where(store)
    .orderBy(asc(seasonSellers.rank))
    .prepare();
}

const statements = perConnection((db: Db) => ({
  lastSaleHere: db
    .select({ at: sql<number | null>`max(${orders.placedAt})` })
    .from(orders)
    .where(and(eq(orders.storeId, p("storeId")), lte(orders.placedAt, p("now"))))
    .prepare(),
  lastSale: db
    .select({ at: sql<number | null>`max(${orders.placedAt})` })
    .from(orders)
    .where(lte(orders.placedAt, p("now")))
    .prepare(),
  // One statement for a store (its (store, placed_at) index finds the season's orders) and one for
  // the chain: with "store is null or store = ?" SQLite walks every order line instead.
  sellersHere: sellersOf(db, eq(orders.storeId, p("storeId"))),
  sellersChain: sellersOf(db),
  seasonOrdersHere: seasonOrdersOf(db, eq(orders.storeId, p("storeId"))),
  seasonOrdersChain: seasonOrdersOf(db),
  storedHere: storedOf(db, eq(seasonSellers.storeId, p("storeId"))),
  storedChain: storedOf(db, isNull(seasonSellers.storeId)),
}));

/** The season counted from the orders, as of `now`; null when nothing was sold by then. */
export function countSeason(db: Db, storeId: number | null, now: number): Season | null {
  const s = statements(db);
  const hereAt = storeId === null ? null : (s.lastSaleHere.get({ storeId, now })?.at ?? null);
  const here = hereAt !== null;
  const to = hereAt ?? s.lastSale.get({ now })?.at ?? null;
  if (to === null) return null;
  const window = { storeId, from: to - SEASON_DAYS * DAY_MS, to };
  const total = (here ? s.seasonOrdersHere : s.seasonOrdersChain).get(window)?.n ?? 0;
  const sellers = (here ? s.sellersHere : s.sellersChain).all(window).map((r) => ({ style: r.style, share: r.orders / Math.max(1, total) }));
  return { sellers, anchor: { season: true, from: window.from, to, here } };
}

/** The season as the nightly pass left it, when it is one `now` may see (its last sale is not after `now`). */
function storedSeason(db: Db, storeId: number | null, now: number): Season | null {
  const s = statements(db);
  const read = (rows: { style: string; share: number; from: number; to: number }[], here: boolean): Season | null =>
    rows.length > 0 && rows[0].to <= now
      ? { sellers: rows.map(({ style, share }) => ({ style, share })), anchor: { season: true, from: rows[0].from, to: rows[0].to, here } }
      : null;
  return (storeId === null ? null : read(s.storedHere.all({ storeId }), true)) ?? read(s.storedChain.all(), false);
}

/** The kept season when `now` may see it, else counted: what a cache miss of loadSeason costs. */
export function readSeason(db: Db, storeId: number | null, now: number): Season | null {
  return storedSeason(db, storeId, now) ?? countSeason(db, storeId, now);
}

const seasonCache = new WeakMap<Db, Map<string, Season | null>>();
const SEASON_TTL_MS = 10 * 60_000;
const SEASON_CACHE_ENTRIES = 256;

export function loadSeason(db: Db, storeId: number | null, now: number): Season | null {
  let cache = seasonCache.get(db);
  if (!cache) seasonCache.set(db, (cache = new Map()));
  // Keyed by store and ten-minute slot, so a preview or evaluation at another date keeps its own.
  const key = `${storeId}:${Math.floor(now / SEASON_TTL_MS)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const season = readSeason(db, storeId, now);
  if (cache.size >= SEASON_CACHE_ENTRIES) cache.clear();
  cache.set(key, season);
  return season;
}

/** Recounts every store's season and the chain's into `season_sellers` (the nightly mining pass calls it). */
export function refreshSeasonSellers(db: Db, now = Date.now()): { seasons: number } {
  const scopes: (number | null)[] = [
    null,
    ...db
      .select({ id: stores.id })
      .from(stores)
      .all()
      .map((r) => r.id),
  ];
  const rows = scopes.flatMap((storeId) => {
    const season = countSeason(db, storeId, now);
    // A store without sales of its own shows the chain's season, read from the chain's rows.
    if (!season || (storeId !== null && !season.anchor.here)) return [];
    return season.sellers.map((s, i) => ({
      storeId,
      rank: i + 1,
      style: s.style,
      share: s.share,
      seasonFrom: season.anchor.from,
      seasonTo: season.anchor.to,
      computedAt: now,
    }));
  });
  inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- each pass replaces every season
    db.delete(seasonSellers).run();
    if (rows.length > 0) db.insert(seasonSellers).values(rows).run();
  });
  seasonCache.delete(db);
  return { seasons: new Set(rows.map((r) => r.storeId)).size };
}

/** The year a style's season share is measured against. */
export const TREND_YEAR_DAYS = 365;

/**
 * Recounts `style_trends`: per style, the orders holding it in the chain's season and in the year up
 * to the chain's last sale (the nightly mining pass calls it). Returns the styles counted.
 */
export function refreshStyleTrends(db: Db, now = Date.now()): number {
  const to = statements(db).lastSale.get({ now })?.at ?? null;
  const seasonFrom = to === null ? 0 : to - SEASON_DAYS * DAY_MS;
  const rows =
    to === null
      ? []
      : db
          .select({
            style: products.style,
            seasonOrders: sql<number>`count(distinct case when ${orders.placedAt} > ${seasonFrom} then ${orders.id} end)`,
            yearOrders: sql<number>`count(distinct ${orders.id})`,
          })
          .from(orders)
          .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
          .innerJoin(products, eq(products.id, orderLines.productId))
          .where(and(gt(orders.placedAt, to - TREND_YEAR_DAYS * DAY_MS), lte(orders.placedAt, to), gt(orderLines.quantity, 0)))
          .groupBy(products.style)
          .all()
          .map((r) => ({ ...r, seasonTo: to, computedAt: now }));
  inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- each pass replaces every style's counts
    db.delete(styleTrends).run();
    for (let i = 0; i < rows.length; i += TREND_INSERT_CHUNK)
      db.insert(styleTrends)
        .values(rows.slice(i, i + TREND_INSERT_CHUNK))
        .run();
  });
  return rows.length;
}
