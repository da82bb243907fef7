import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { inventory, settings, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { ShelfPolicy } from "./rank";

/**
 * How suggestions treat the shelf, for the chain with per-store overrides:
 *   stockFeed: "auto" (a store with any stock row has a feed), "yes" or "no". Without a feed the
 *     cards say "check stock" instead of hiding what is not known to be there.
 *   orderForDelivery: offer items that are not here but are in another store (default off).
 */
export const SHELF_SETTINGS_KEY = "suggest.shelf";

const feed = z.enum(["auto", "yes", "no"]);
export const SHELF_SETTINGS_SCHEMA = z.object({
  stockFeed: feed.default("auto"),
  orderForDelivery: z.boolean().default(false),
  stores: z.record(z.string(), z.object({ stockFeed: feed.optional(), orderForDelivery: z.boolean().optional() })).default({}),
});
export type ShelfSettings = z.infer<typeof SHELF_SETTINGS_SCHEMA>;
export type ShelfSettingsInput = z.input<typeof SHELF_SETTINGS_SCHEMA>;

export function shelfSettingsOf(db: Db): ShelfSettings {
  const value = db.select({ value: settings.value }).from(settings).where(eq(settings.key, SHELF_SETTINGS_KEY)).get()?.value;
  const parsed = SHELF_SETTINGS_SCHEMA.safeParse(value ?? {});
  return parsed.success ? parsed.data : SHELF_SETTINGS_SCHEMA.parse({});
}

export function setShelfSettings(db: Db, input: ShelfSettingsInput, now = Date.now()): ShelfSettings {
  const value = SHELF_SETTINGS_SCHEMA.parse(input);
  const known = new Set(
    db
      .select({ code: stores.code })
      .from(stores)
      .all()
      .map((s) => s.code),
  );
  const unknown = Object.keys(value.stores).filter((code) => !known.has(code));
  if (unknown.length) throw new DomainError("invalid_input", `Unknown store ${unknown.join(", ")}.`);
  db.insert(settings)
    .values({ key: SHELF_SETTINGS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
  return value;
}

/** The policy for one store (head office's view, with no store, counts stock anywhere). */
export function shelfPolicy(db: Db, storeId: number | null): ShelfPolicy {
  const chain = shelfSettingsOf(db);
  const code = storeId === null ? undefined : db.select({ code: stores.code }).from(stores).where(eq(stores.id, storeId)).get()?.code;
  const own = code === undefined ? undefined : chain.stores[code];
  const mode = own?.stockFeed ?? chain.stockFeed;
  // The product bound makes the search one row found through an index (store and product, or
  // product), which the plan tests can tell from a walk of the store's whole stock.
  const hasRows = () =>
    db
      .select({ one: sql`1` })
      .from(inventory)
      .where(and(storeId === null ? undefined : eq(inventory.storeId, storeId), gt(inventory.productId, 0)))
      .limit(1)
      .get() !== undefined;
  return { stockFeed: mode === "yes" || (mode === "auto" && hasRows()), orderForDelivery: own?.orderForDelivery ?? chain.orderForDelivery };
}

/**
 * How the engine weighs a customer's history (see the ranking note in ./rank.ts). Chosen on a
 * validation split inside the training part of a real shop's year (`npm run eval:suggest -- --real …
 * --validate`: each repeat customer's last training invoice held out), never on the invoices the
 * headline table is measured on:
 *   anchors          the customer's most recent distinct purchases that suggest anything
 *   pairsPerAnchor   the mined companions read for each, most similar first
 *   halfLifeDays     a purchase this many days before their own last purchase counts half
 *   nextWeight       what a "went on to buy" pair counts for beside a "bought together" one (0: not used)
 *   seasonWeight     how far a style out of season falls: evidence × ((season orders + 1) / (year orders + 1))^w
 *                    (style_trends, counted by the mining pass up to the chain's last sale; 0: not used)
 * There, 30 × 10 at 30 days scored hit@5/@10 0.2471/0.3717; 90 days 0.2446/0.3717; 100 anchors × 20
 * pairs 0.2282/0.3423 (cosine on that split 0.2546/0.3518). Adding went-on-to-buy pairs (within the
 * 90-day mining window) at nextWeight 0.5 / 1 / 2 / 4 / 8: 0.2566/0.3792, 0.2686/0.3822,
 * 0.2666/0.3767, 0.2446/0.3523, 0.2177/0.3159; 15 anchors at 2: 0.2481/0.3533. With nextWeight 1,
 * seasonWeight 0.2 / 0.3 / 0.5 / 0.7 / 1: 0.2725/0.3906, 0.2775/0.3891, 0.2835/0.3961, 0.2820/0.3966,
 * 0.2810/0.3876; at 0.5, nextWeight 1.5 0.2706/0.3916 and 60 days 0.2815/0.3961. The pair's cosine
 * √(support × lift) in place of its strength needs breadth (300 anchors × 50 pairs: 0.2850/0.3936 at
 * 0.5), ten times the rows read for the same figures, so the strength stays. With the season weighed,
 * wider history and fewer pairs each do better: at 30 days 50 × 10 0.2885/0.4021, 100 × 10
 * 0.2935/0.4036, 200 × 10 0.2945/0.4026, 100 × 5 0.2970/0.4106, 200 × 5 0.2980/0.4086, 100 × 3
 * 0.2930/0.4051, 300 × 3 0.2960/0.4076; 100 × 5 at 45 / 60 / 90 days 0.3024/0.4091, 0.3034/0.4081,
 * 0.3014/0.4106 (200 × 5 at 60 days 0.3044/0.4061, twice the rows); minimum count 3 no better than 5.
 */
export const RANKING_DEFAULTS = { anchors: 100, pairsPerAnchor: 5, halfLifeDays: 60, nextWeight: 1, seasonWeight: 0.5 } as const;
export type RankingSettings = { anchors: number; pairsPerAnchor: number; halfLifeDays: number; nextWeight: number; seasonWeight: number };
