import type { Channel } from "@/db/schema";
import type { InteractionInput } from "@/lib/ingest/interactions";
import type { OrderInput, OrderLineInput } from "@/lib/ingest/orders";
import { DAY_MS } from "@/lib/days";
import { REFERENCE_NOW, inSale, recentMoment, tradingMoment } from "./calendar";
import { type Catalogue, type Department, SIZE_SCHEMES, type Style, onSaleCount, poolKey, skuOf } from "./catalogue";
import { STORES, type StoreSpec } from "./chain";
import { SOURCE_KEYS, type Person, type ValueSegment } from "./people";
import { type Random, Weighted } from "./random";

const CATEGORY_MIX: Record<Department, Weighted<string>> = {
  womenswear: Weighted.of({ Tops: 18, Dresses: 14, Knitwear: 10, Trousers: 10, Shirts: 8, Jeans: 8, Skirts: 6, Jackets: 7, Coats: 5, Shoes: 10 }),
  menswear: Weighted.of({ Tops: 18, Shirts: 16, Knitwear: 12, Trousers: 12, Jeans: 10, Jackets: 8, Coats: 5, Shoes: 10 }),
  accessories: Weighted.of({ Bags: 30, Scarves: 20, Belts: 15, Accessories: 35 }),
  home: Weighted.of({ Dinnerware: 18, Glassware: 16, Cutlery: 8, Bedding: 20, Cushions: 18, Candles: 20 }),
};

/** What is bought together: a top with trousers or a jacket, a dinner service with glasses, shoes with a bag. */
const GOES_WITH: Record<string, string[]> = {
  Tops: ["Trousers", "Jackets", "Skirts", "Jeans"],
  Shirts: ["Trousers", "Knitwear", "Jackets"],
  Knitwear: ["Scarves", "Jeans", "Trousers"],
  Jackets: ["Trousers", "Tops", "Shirts"],
  Coats: ["Scarves", "Knitwear", "Accessories"],
  Trousers: ["Tops", "Shirts", "Belts"],
  Jeans: ["Tops", "Knitwear", "Belts"],
  Dresses: ["Shoes", "Bags", "Jackets"],
  Skirts: ["Tops", "Knitwear", "Shoes"],
  Shoes: ["Bags", "Belts"],
  Bags: ["Shoes", "Scarves"],
  Scarves: ["Coats", "Accessories"],
  Belts: ["Jeans", "Trousers"],
  Accessories: ["Bags", "Scarves"],
  Dinnerware: ["Glassware", "Cutlery"],
  Glassware: ["Dinnerware", "Cutlery"],
  Cutlery: ["Dinnerware", "Glassware"],
  Bedding: ["Cushions", "Candles"],
  Cushions: ["Candles", "Bedding"],
  Candles: ["Cushions", "Candles"],
};

const ACCESSORY_CATEGORIES = new Set(["Bags", "Scarves", "Belts", "Accessories"]);
const HOME_CATEGORIES = new Set(["Dinnerware", "Glassware", "Cutlery", "Bedding", "Cushions", "Candles"]);
const MULTIPLES = new Set(["Candles", "Glassware", "Cushions"]);

const LINE_COUNTS = new Weighted([
  [1, 40],
  [2, 28],
  [3, 16],
  [4, 9],
  [5, 4.5],
  [6, 2.5],
]);
const ORDER_COUNTS: Record<ValueSegment, [number, number]> = { light: [1, 2], regular: [2, 6], loyal: [6, 14], vip: [14, 30] };
const RETURN_RATE: Record<Channel, number> = { store: 0.07, online: 0.17, app: 0.12 };
/**
 * Share of a returning customer's orders built around a piece that goes with something they bought
 * before (the trousers to last month's top, the glasses to the dinner service): what clienteling sells.
 */
const FOLLOW_ON = 0.6;
/** How far back a follow-on purchase looks: the last few things bought. */
const FOLLOW_ON_MEMORY = 6;
/** Share of companions that are the piece the range was designed to go with, not any of its collection. */
const DESIGNED_PARTNER = 0.6;
/** Anonymous till sales per customer order: about 15% of all baskets. */
const ANONYMOUS_PER_ORDER = 0.176;
const INTERACTION_KINDS = Weighted.of<InteractionInput["kind"]>({ view: 70, wishlist: 15, cart: 15 });
const ANONYMOUS_AFFINITY = Weighted.of<Department>({ womenswear: 45, menswear: 25, accessories: 12, home: 18 });
const STORE_TRADE = new Weighted(STORES.map((s) => [s, s.share] as const));

/** Order and event numbers per source system, in the order they are issued. */
export class Sequences {
  pos = 1;
  ecom = 1;
  app = 1;
  event = 1;
}

type Shopper = Pick<Person, "affinity" | "fashion"> & { sizes: Person["sizes"] | null };

export type OrderDraft = { channel: Channel; at: number; store?: StoreSpec; lines: OrderLineInput[] };

export class HistoryGenerator {
  constructor(
    private readonly random: Random,
    private readonly catalogue: Catalogue,
    private readonly seq: Sequences,
  ) {}

  /**
   * A person's orders (with returns) and the anonymous till sales that happened around them, in time
   * order, so that later baskets can build on earlier ones.
   */
  ordersOf(person: Person, orderCount = this.orderCount(person.segment)): OrderInput[] {
    const random = this.random;
    const channels: [Channel, number][] = [];
    if (person.has.pos || person.has.loyalty) channels.push(["store", 55]);
    if (person.has.ecom) channels.push(["online", 30]);
    if (person.has.app) channels.push(["app", 15]);
    const channel = new Weighted(channels);
    const moments = Array.from({ length: orderCount }, () => {
      const chosen = channel.draw(random);
      return { chosen, at: tradingMoment(random, chosen === "store" ? "store" : "online") };
    }).sort((a, b) => a.at - b.at);
    const bought: Style[] = [];
    const out: OrderInput[] = [];
    for (const { chosen, at } of moments) {
      const store = chosen === "store" ? (random.chance(0.85) ? person.store : STORE_TRADE.draw(random)) : undefined;
      const anchor = bought.length > 0 && random.chance(FOLLOW_ON) ? this.followOn(bought.slice(-FOLLOW_ON_MEMORY), at) : null;
      const basket = this.pickBasket(person, at, anchor);
      bought.push(...basket.styles);
      const order = this.order(person, { channel: chosen, at, store, lines: basket.lines });
      out.push(order);
      const refund = this.returnOf(order);
      if (refund) out.push(refund);
      if (random.chance(ANONYMOUS_PER_ORDER)) out.push(this.anonymousSale());
    }
    return out;
  }

  /** Turns a drafted order into what the person's source system sends. */
  order(person: Person, draft: OrderDraft): OrderInput {
    const { channel, at, store, lines } = draft;
    if (channel === "online") {
      return {
        source: "ecom",
        externalId: `W${String(this.seq.ecom++).padStart(8, "0")}`,
        sourceCustomerId: SOURCE_KEYS.ecom(person),
        channel,
        placedAt: at,
        lines,
      };
    }
    if (channel === "app") {
      return {
        source: "app",
        externalId: `APP-${String(this.seq.app++).padStart(8, "0")}`,
        sourceCustomerId: SOURCE_KEYS.app(person),
        channel,
        placedAt: at,
        lines,
      };
    }
    const code = (store ?? person.store).code;
    // A till sale is on the till's own customer account, or on the loyalty card alone when the till has none.
    const onCard = person.has.loyalty && (!person.has.pos || this.random.chance(0.2));
    return {
      source: "pos",
      externalId: `${code}-${String(this.seq.pos++).padStart(8, "0")}`,
      sourceCustomerId: onCard ? SOURCE_KEYS.loyalty(person) : SOURCE_KEYS.pos(person),
      customerSource: onCard ? "loyalty" : "pos",
      channel,
      storeCode: code,
      placedAt: at,
      lines,
    };
  }

  /** Some orders come back, in part or whole, as a separate order of negative lines through the same system. */
  returnOf(order: OrderInput, force = false): OrderInput | null {
    const random = this.random;
    if (!force && !random.chance(RETURN_RATE[order.channel])) return null;
    const placedAt = order.placedAt + random.int(2, 28) * DAY_MS + random.int(0, 8 * 60) * 60_000;
    if (placedAt >= REFERENCE_NOW) return null;
    let lines = order.lines.filter(() => random.chance(0.6));
    if (lines.length === 0) lines = [order.lines[random.int(0, order.lines.length - 1)]];
    return { ...order, externalId: `${order.externalId}-R`, placedAt, lines: lines.map((l) => ({ ...l, quantity: -l.quantity })) };
  }

  anonymousSale(): OrderInput {
    const random = this.random;
    const store = STORE_TRADE.draw(random);
    const at = tradingMoment(random, "store");
    const shopper: Shopper = { affinity: ANONYMOUS_AFFINITY, fashion: random.chance(0.64) ? "womenswear" : "menswear", sizes: null };
    return {
      source: "pos",
      externalId: `${store.code}-${String(this.seq.pos++).padStart(8, "0")}`,
      channel: "store",
      storeCode: store.code,
      placedAt: at,
      lines: this.basket(shopper, at),
    };
  }

  /** Views, wish-list and basket events online and in the app, and store check-ins through the app. */
  interactionsOf(person: Person): InteractionInput[] {
    const random = this.random;
    const out: InteractionInput[] = [];
    const channels: ("ecom" | "app")[] = [];
    if (person.has.ecom) channels.push("ecom");
    if (person.has.app) channels.push("app");
    if (channels.length > 0 && random.chance(0.45)) {
      const count = random.int(1, 8);
      for (let i = 0; i < count; i++) {
        const source = random.pick(channels);
        const promoted = this.catalogue.promoted;
        const style = promoted.length > 0 && random.chance(0.3) ? random.pick(promoted) : this.activeStyle(person);
        out.push(this.interaction(person, source, INTERACTION_KINDS.draw(random), recentMoment(random, 180), this.skuFor(person, style)));
      }
    }
    if (person.has.app && random.chance(0.3)) {
      const visits = random.int(1, 3);
      for (let i = 0; i < visits; i++) out.push(this.interaction(person, "app", "visit", recentMoment(random, 365), null, person.store.code));
    }
    return out;
  }

  interaction(
    person: Person,
    source: "ecom" | "app",
    kind: InteractionInput["kind"],
    at: number,
    sku: string | null,
    storeCode: string | null = null,
  ): InteractionInput {
    return {
      source,
      externalId: `EV-${String(this.seq.event++).padStart(9, "0")}`,
      sourceCustomerId: SOURCE_KEYS[source](person),
      kind,
      sku,
      storeCode,
      at,
    };
  }

  private orderCount(segment: ValueSegment): number {
    const [min, max] = ORDER_COUNTS[segment];
    return this.random.int(min, max);
  }

  /** A basket built around one anchor item, with the things that go with it, mostly from its collection. */
  basket(shopper: Shopper, at: number): OrderLineInput[] {
    return this.pickBasket(shopper, at, null).lines;
  }

  private pickBasket(shopper: Shopper, at: number, anchor: Style | null): { styles: Style[]; lines: OrderLineInput[] } {
    const random = this.random;
    const size = LINE_COUNTS.draw(random);
    anchor ??= this.styleOnSale(shopper.affinity.draw(random), shopper, at);
    const styles = [anchor];
    const picked = new Set([anchor.style]);
    for (let tries = 0; styles.length < size && tries < size * 3; tries++) {
      const style = random.chance(0.65) ? this.companion(anchor, shopper, at) : this.styleOnSale(shopper.affinity.draw(random), shopper, at);
      if (!style || picked.has(style.style)) continue;
      picked.add(style.style);
      styles.push(style);
    }
    return { styles, lines: styles.map((style) => this.line(shopper, style, at)) };
  }

  /** Something that goes with one of the recent purchases, from the same collection, on sale at `at`. */
  private followOn(recent: readonly Style[], at: number): Style | null {
    const random = this.random;
    const owned = random.pick(recent);
    return this.fromCollection(owned, random.pick(GOES_WITH[owned.category]), at);
  }

  /**
   * A style of `category` from `anchor`'s collection: more often than not the one the range pairs
   * with the anchor (a fixed choice per anchor, as a buyer would plan a look), otherwise any of them.
   */
  private fromCollection(anchor: Style, category: string, at: number): Style | null {
    const pool = this.catalogue.byCollection
      .get(anchor.collection)
      ?.get(category)
      ?.filter((s) => s.launchedAt <= at && s.style !== anchor.style);
    if (!pool || pool.length === 0) return null;
    return this.random.chance(DESIGNED_PARTNER) ? pool[designedPartnerIndex(anchor.style, category, pool.length)] : this.random.pick(pool);
  }

  private companion(anchor: Style, shopper: Shopper, at: number): Style | null {
    const random = this.random;
    const category = random.pick(GOES_WITH[anchor.category]);
    if (random.chance(0.6)) {
      const partner = this.fromCollection(anchor, category, at);
      if (partner) return partner;
    }
    const department: Department = ACCESSORY_CATEGORIES.has(category)
      ? "accessories"
      : HOME_CATEGORIES.has(category)
        ? "home"
        : anchor.department === "womenswear" || anchor.department === "menswear"
          ? anchor.department
          : shopper.fashion;
    const pool = this.catalogue.pools.get(poolKey(department, category));
    if (!pool) return null;
    const count = onSaleCount(pool, at);
    return count > 0 ? pool[random.int(0, count - 1)] : null;
  }

  private styleOnSale(department: Department, shopper: Shopper, at: number): Style {
    const random = this.random;
    for (;;) {
      const pool = this.catalogue.pools.get(poolKey(department, CATEGORY_MIX[department].draw(random)));
      const count = pool ? onSaleCount(pool, at) : 0;
      if (pool && count > 0) return pool[random.int(0, count - 1)];
      department = shopper.affinity.draw(random);
    }
  }

  private activeStyle(person: Person): Style {
    for (;;) {
      const style = this.styleOnSale(person.affinity.draw(this.random), person, REFERENCE_NOW);
      if (style.active) return style;
    }
  }

  private skuFor(shopper: Shopper, style: Style): string {
    const sizes: readonly (string | null)[] = SIZE_SCHEMES[style.scheme];
    const own = shopper.sizes?.[style.scheme];
    const forThemselves = style.department === shopper.fashion || style.department === "accessories";
    const size = own !== undefined && forThemselves && this.random.chance(0.9) ? own : this.random.pick(sizes);
    return skuOf(style.style, size);
  }

  private line(shopper: Shopper, style: Style, at: number): OrderLineInput {
    const random = this.random;
    let unitPrice = style.price;
    if (style.promoPercent !== null && at > REFERENCE_NOW - 14 * DAY_MS) unitPrice = Math.round((style.price * (100 - style.promoPercent)) / 100);
    else if (inSale(at) && random.chance(0.35)) unitPrice = Math.round((style.price * random.pick([0.7, 0.6, 0.5])) / 100) * 100;
    const quantity = MULTIPLES.has(style.category) && random.chance(0.2) ? 2 : 1;
    return { sku: this.skuFor(shopper, style), quantity, unitPrice };
  }
}

/** A stable pick among `count` styles for an anchor and category (FNV-1a of both). */
function designedPartnerIndex(style: string, category: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const ch of `${style}/${category}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return (hash >>> 0) % count;
}
