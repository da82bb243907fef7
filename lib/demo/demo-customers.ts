import type { CustomerRecordInput } from "@/lib/identity/ingest";
import type { InteractionInput } from "@/lib/ingest/interactions";
import type { OrderInput, OrderLineInput } from "@/lib/ingest/orders";
import { type Catalogue, type Department, HERO_STYLES, type Style, poolKey, skuOf } from "./catalogue";
import { STORES, type StoreCode } from "./chain";
import type { HistoryGenerator, OrderDraft } from "./history";
import { SOURCE_KEYS, type Person, type ValueSegment, loyaltyIdOf, mobileOf } from "./people";
import { Weighted } from "./random";

/** The customers the README, the demo script and the tests talk about: always the first four people, with fixed details. */
export const DEMO_CUSTOMERS = {
  anna: {
    name: "Anna Kowalski",
    loyaltyId: loyaltyIdOf(1),
    /** As typed at the till, with her card number keyed in lower case with dashes. */
    posPhone: "07412 345678",
    posCard: cardWithDashes(loyaltyIdOf(1)),
    ecomPhone: "+44 7412 345678",
    ecomEmail: " Anna.Kowalski@Example.com ",
    phone: "+447412345678",
    email: "anna.kowalski@example.com",
    homeStore: "LDN",
  },
  james: { name: "James O'Neill", email: "james.oneill@example.org" },
  priya: { name: "Priya Shah", phone: "0113 496 0385", phoneE164: "+441134960385", homeStore: "LDS" },
  oliver: {
    name: "Oliver Grant",
    loyaltyId: loyaltyIdOf(4),
    email: "oliver.grant@example.com",
    phone: "07831 204519",
    phoneE164: "+447831204519",
    homeStore: "LDN",
  },
} as const;

export const DEMO_CUSTOMER_COUNT = 4;

function cardWithDashes(card: string): string {
  return `${card.slice(0, 2)}-${card.slice(2, 6)}-${card.slice(6, 10)}-${card.slice(10)}`.toLowerCase();
}

export type Activity = { records: CustomerRecordInput[]; orders: OrderInput[]; interactions: InteractionInput[] };

const at = (y: number, m: number, d: number, hour = 12, minute = 0) => Date.UTC(y, m - 1, d, hour, minute);
const store = (code: StoreCode) => STORES.find((s) => s.code === code)!;

type SourceKey = keyof typeof SOURCE_KEYS;

/** A source system's record of a demo person: keyed as that system keys people, under the person's name. */
function recordOf(person: Person, source: SourceKey, fields: Omit<CustomerRecordInput, "source" | "sourceCustomerId">): CustomerRecordInput {
  return { source, sourceCustomerId: SOURCE_KEYS[source](person), firstName: person.firstName, lastName: person.lastName, ...fields };
}

/** Demo person n, named as in DEMO_CUSTOMERS and known to the given source systems. */
function demoPerson(n: number, name: string, sources: SourceKey[], segment: ValueSegment, details: Partial<Person> & Pick<Person, "female">): Person {
  const female = details.female;
  const space = name.indexOf(" ");
  const known = (source: SourceKey) => sources.includes(source);
  return {
    n,
    firstName: name.slice(0, space),
    lastName: name.slice(space + 1),
    has: { pos: known("pos"), ecom: known("ecom"), loyalty: known("loyalty"), app: known("app") },
    birthDate: "1980-01-01",
    store: store("LDN"),
    city: "London",
    postcode: "N16 9PS",
    address: "1 High Street",
    mobile: mobileOf(n),
    landline: null,
    email: null,
    loyaltyId: null,
    segment,
    sizes: { letter: "M", mensLetter: "L", dress: "12", waist: "32", womensShoe: "38", mensShoe: "43", belt: "M", bedding: "King", one: null },
    fashion: female ? "womenswear" : "menswear",
    affinity: female
      ? Weighted.of<Department>({ womenswear: 60, accessories: 15, home: 25 })
      : Weighted.of<Department>({ menswear: 65, accessories: 10, home: 25 }),
    consents: { email: true, sms: false, post: false },
    ...details,
  };
}

/**
 * Fixed purchases for the scripted customers. Items are found by what they are (the first style of a
 * category on sale at the time), so the story holds as long as the catalogue does.
 */
class Shelf {
  constructor(private readonly catalogue: Catalogue) {}

  style(department: Department, category: string, when: number, offset = 0): Style {
    const pool = this.catalogue.pools.get(poolKey(department, category))!.filter((s) => s.active && s.launchedAt <= when);
    return pool[offset % pool.length];
  }

  line(style: Style, size: string | null, options: { quantity?: number; unitPrice?: number } = {}): OrderLineInput {
    return { sku: skuOf(style.style, size), quantity: options.quantity ?? 1, unitPrice: options.unitPrice ?? style.price };
  }

  hero(key: keyof typeof HERO_STYLES): Style {
    return this.catalogue.byStyle.get(HERO_STYLES[key])!;
  }
}

export function demoCustomerActivity(catalogue: Catalogue, history: HistoryGenerator): Activity[] {
  const shelf = new Shelf(catalogue);
  return [anna(shelf, history), james(shelf, history), priya(shelf, history), oliver(history)];
}

function anna(shelf: Shelf, history: HistoryGenerator): Activity {
  const c = DEMO_CUSTOMERS.anna;
  const person = demoPerson(1, c.name, ["pos", "ecom", "loyalty", "app"], "loyal", { female: true, email: c.email, loyaltyId: c.loyaltyId });
  const records: CustomerRecordInput[] = [
    recordOf(person, "loyalty", {
      loyaltyId: c.loyaltyId,
      birthDate: "1988-04-17",
      postcode: "N16 9PS",
      tier: "Gold",
      consents: { email: true, post: false },
      updatedAt: at(2024, 11, 20),
    }),
    recordOf(person, "pos", {
      phone: c.posPhone,
      loyaltyId: c.posCard,
      postcode: "N16 9PS",
      city: "London",
      consents: { sms: true },
      updatedAt: at(2024, 11, 20),
    }),
    recordOf(person, "ecom", {
      email: c.ecomEmail,
      phone: c.ecomPhone,
      address: "27 Albion Road",
      postcode: "N16 9PS",
      city: "London",
      country: "GB",
      birthDate: "1988-04-17",
      consents: { email: true, sms: false },
      updatedAt: at(2025, 2, 28),
    }),
    { source: "app", sourceCustomerId: SOURCE_KEYS.app(person), firstName: "Anna", email: c.email, consents: { email: true }, updatedAt: at(2025, 5, 20) },
  ];
  const w = (category: string, when: number, offset = 0) => shelf.style("womenswear", category, when, offset);
  const a = (category: string, when: number, offset = 0) => shelf.style("accessories", category, when, offset);
  const h = (category: string, when: number, offset = 0) => shelf.style("home", category, when, offset);
  const ldn = store("LDN");
  const drafts: OrderDraft[] = [
    {
      channel: "store",
      store: ldn,
      at: at(2024, 12, 14, 15, 20),
      lines: [shelf.line(w("Coats", at(2024, 12, 14)), "12"), shelf.line(a("Scarves", at(2024, 12, 14)), null)],
    },
    { channel: "online", at: at(2025, 3, 2, 21, 5), lines: [shelf.line(w("Dresses", at(2025, 3, 2)), "12")] },
    { channel: "app", at: at(2025, 5, 24, 19, 40), lines: [shelf.line(w("Shoes", at(2025, 5, 24), 1), "38"), shelf.line(a("Bags", at(2025, 5, 24)), null)] },
    {
      channel: "store",
      store: ldn,
      at: at(2025, 9, 20, 11, 10),
      lines: [shelf.line(w("Knitwear", at(2025, 9, 20)), "M"), shelf.line(w("Jeans", at(2025, 9, 20)), "12"), shelf.line(a("Belts", at(2025, 9, 20)), "M")],
    },
    {
      channel: "store",
      store: ldn,
      at: at(2025, 11, 29, 14, 45),
      lines: [
        shelf.line(h("Glassware", at(2025, 11, 29), 1), null),
        shelf.line(h("Candles", at(2025, 11, 29)), null, { quantity: 2 }),
        shelf.line(h("Cushions", at(2025, 11, 29)), null),
      ],
    },
    {
      channel: "app",
      at: at(2025, 12, 18, 20, 15),
      lines: [shelf.line(a("Scarves", at(2025, 12, 18), 2), null), shelf.line(a("Accessories", at(2025, 12, 18)), null)],
    },
    {
      channel: "store",
      store: ldn,
      at: at(2026, 2, 21, 13, 30),
      lines: [shelf.line(w("Trousers", at(2026, 2, 21)), "12"), shelf.line(w("Shirts", at(2026, 2, 21)), "M")],
    },
    { channel: "online", at: at(2026, 5, 3, 20, 50), lines: [shelf.line(shelf.hero("linenTop"), "M")] },
    {
      channel: "store",
      store: ldn,
      at: at(2026, 7, 11, 16, 5),
      lines: [shelf.line(w("Dresses", at(2026, 7, 11), 3), "12"), shelf.line(w("Tops", at(2026, 7, 11), 2), "M")],
    },
    { channel: "app", at: at(2026, 9, 26, 18, 25), lines: [shelf.line(w("Shoes", at(2026, 9, 26), 2), "38")] },
    {
      channel: "store",
      store: ldn,
      at: at(2026, 10, 17, 12, 40),
      lines: [shelf.line(w("Knitwear", at(2026, 10, 17), 1), "M"), shelf.line(w("Trousers", at(2026, 10, 17), 2), "12")],
    },
  ];
  const orders = drafts.map((d) => history.order(person, d));
  // The dress bought online in March went back ten days later.
  orders.splice(2, 0, {
    ...orders[1],
    externalId: `${orders[1].externalId}-R`,
    placedAt: at(2025, 3, 12, 10, 0),
    lines: orders[1].lines.map((l) => ({ ...l, quantity: -l.quantity })),
  });
  const sku = (key: keyof typeof HERO_STYLES, size: string | null) => skuOf(HERO_STYLES[key], size);
  const interactions = [
    history.interaction(person, "app", "view", at(2026, 10, 18, 21, 0), sku("aaltoDinnerService", null)),
    history.interaction(person, "app", "wishlist", at(2026, 10, 18, 21, 2), sku("aaltoDinnerService", null)),
    history.interaction(person, "app", "view", at(2026, 10, 18, 21, 4), sku("aaltoWineGlasses", null)),
    history.interaction(person, "ecom", "view", at(2026, 10, 25, 20, 30), sku("linenBlazer", "12")),
    history.interaction(person, "app", "visit", at(2026, 10, 17, 12, 5), null, "LDN"),
  ];
  return { records, orders, interactions };
}

function james(shelf: Shelf, history: HistoryGenerator): Activity {
  const c = DEMO_CUSTOMERS.james;
  const person = demoPerson(2, c.name, ["ecom"], "regular", { female: false, email: c.email, store: store("BRS") });
  const records: CustomerRecordInput[] = [
    recordOf(person, "ecom", {
      email: c.email,
      address: "14 Cotham Hill",
      postcode: "BS6 6LA",
      city: "Bristol",
      country: "GB",
      consents: { email: false, sms: false },
      updatedAt: at(2025, 1, 10),
    }),
  ];
  const m = (category: string, when: number, offset = 0) => shelf.style("menswear", category, when, offset);
  const drafts: OrderDraft[] = [
    { channel: "online", at: at(2025, 1, 12, 22, 10), lines: [shelf.line(m("Shirts", at(2025, 1, 12)), "L"), shelf.line(m("Jeans", at(2025, 1, 12)), "32")] },
    { channel: "online", at: at(2025, 10, 5, 9, 45), lines: [shelf.line(m("Knitwear", at(2025, 10, 5)), "L")] },
    { channel: "online", at: at(2026, 8, 30, 19, 5), lines: [shelf.line(m("Shoes", at(2026, 8, 30), 2), "43"), shelf.line(m("Tops", at(2026, 8, 30)), "L")] },
  ];
  return { records, orders: drafts.map((d) => history.order(person, d)), interactions: [] };
}

function priya(shelf: Shelf, history: HistoryGenerator): Activity {
  const c = DEMO_CUSTOMERS.priya;
  const lds = store("LDS");
  const person = demoPerson(3, c.name, ["pos"], "regular", { female: true, store: lds });
  const records: CustomerRecordInput[] = [
    recordOf(person, "pos", { phone: c.phone, postcode: "LS6 2AB", city: "Leeds", consents: { sms: false, post: true }, updatedAt: at(2025, 4, 5) }),
  ];
  const drafts: OrderDraft[] = [
    {
      channel: "store",
      store: lds,
      at: at(2025, 4, 5, 11, 20),
      lines: [shelf.line(shelf.style("home", "Dinnerware", at(2025, 4, 5), 2), null), shelf.line(shelf.style("home", "Glassware", at(2025, 4, 5), 2), null)],
    },
    { channel: "store", store: lds, at: at(2025, 12, 13, 15, 0), lines: [shelf.line(shelf.style("womenswear", "Knitwear", at(2025, 12, 13), 3), "S")] },
    {
      channel: "store",
      store: lds,
      at: at(2026, 6, 27, 14, 10),
      lines: [
        shelf.line(shelf.style("womenswear", "Dresses", at(2026, 6, 27), 5), "10"),
        shelf.line(shelf.style("accessories", "Bags", at(2026, 6, 27), 4), null),
      ],
    },
  ];
  return { records, orders: drafts.map((d) => history.order(person, d)), interactions: [] };
}

/** A long-standing customer with about 120 order lines, for paging. */
function oliver(history: HistoryGenerator): Activity {
  const c = DEMO_CUSTOMERS.oliver;
  const person = demoPerson(4, c.name, ["pos", "ecom", "loyalty"], "vip", { female: false, email: c.email, loyaltyId: c.loyaltyId, mobile: "7831204519" });
  const records: CustomerRecordInput[] = [
    recordOf(person, "loyalty", {
      loyaltyId: c.loyaltyId,
      email: c.email,
      birthDate: "1971-09-02",
      postcode: "SW4 0LG",
      tier: "Gold",
      consents: { email: true, sms: true, post: true },
      updatedAt: at(2024, 11, 2),
    }),
    recordOf(person, "pos", { phone: c.phone, loyaltyId: c.loyaltyId.slice(2), city: "London", updatedAt: at(2024, 11, 2) }),
    recordOf(person, "ecom", {
      email: "Oliver.Grant@example.com",
      phone: "+44 7831 204519",
      address: "8 Clapham Manor Street",
      postcode: "SW4 0LG",
      city: "London",
      country: "GB",
      updatedAt: at(2025, 3, 9),
    }),
  ];
  const orders: OrderInput[] = [];
  let lines = 0;
  while (lines < 120) {
    for (const order of history.ordersOf(person, 1)) {
      orders.push(order);
      if (order.sourceCustomerId) lines += order.lines.length;
    }
  }
  return { records, orders, interactions: [] };
}
