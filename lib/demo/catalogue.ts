import { HISTORY_START } from "./calendar";
import { Random, Weighted } from "./random";

export type Department = "womenswear" | "menswear" | "accessories" | "home";

export const SIZE_SCHEMES = {
  letter: ["XS", "S", "M", "L", "XL"],
  mensLetter: ["S", "M", "L", "XL", "XXL"],
  dress: ["6", "8", "10", "12", "14", "16", "18"],
  waist: ["28", "30", "32", "34", "36", "38"],
  womensShoe: ["36", "37", "38", "39", "40", "41"],
  mensShoe: ["40", "41", "42", "43", "44", "45"],
  belt: ["S", "M", "L"],
  bedding: ["Single", "Double", "King", "Super King"],
  one: [null],
} as const satisfies Record<string, readonly (string | null)[]>;
export type SizeScheme = keyof typeof SIZE_SCHEMES;

const SIZE_CODES: Record<string, string> = { "6": "06", "8": "08", Single: "SG", Double: "DB", King: "KG", "Super King": "SK" };

type Sku = { sku: string; size: string | null };

export type Style = {
  style: string;
  name: string;
  category: string;
  department: Department;
  collection: string;
  brand: string;
  colour: string;
  scheme: SizeScheme;
  price: number;
  cost: number;
  promoPercent: number | null;
  active: boolean;
  /** Not sold before this moment: a collection launches in its season. */
  launchedAt: number;
  skus: Sku[];
};

const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

/** Collections and when they reached the shop floor; the home ranges and Essentials are always on sale. */
const COLLECTIONS: Record<string, number> = {
  Essentials: HISTORY_START,
  "Autumn 2024": HISTORY_START,
  "Winter Knits 2024": HISTORY_START,
  "Spring 2025": at(2025, 2, 14),
  "Spring Linen 2025": at(2025, 3, 14),
  "Summer 2025": at(2025, 5, 2),
  "Autumn Tailoring 2025": at(2025, 8, 22),
  "Winter Knits 2025": at(2025, 10, 3),
  "Spring 2026": at(2026, 2, 13),
  "Spring Linen 2026": at(2026, 3, 13),
  "Summer 2026": at(2026, 5, 1),
  "Autumn Tailoring 2026": at(2026, 8, 21),
  "Winter Knits 2026": at(2026, 10, 2),
  Aalto: HISTORY_START,
  Harbour: HISTORY_START,
  Fell: HISTORY_START,
  Linnea: HISTORY_START,
  Ostra: HISTORY_START,
  "Linen House": HISTORY_START,
  "Christmas 2025": at(2025, 10, 31),
};

/** Discontinued: most of their styles are no longer sold, though old orders still name them. */
const RETIRED_COLLECTIONS = new Set(["Autumn 2024", "Winter Knits 2024"]);

const SEASONAL = {
  light: ["Spring 2025", "Summer 2025", "Spring 2026", "Summer 2026", "Essentials"],
  linen: ["Spring Linen 2025", "Spring Linen 2026", "Summer 2025", "Summer 2026"],
  warm: ["Autumn 2024", "Winter Knits 2024", "Winter Knits 2025", "Winter Knits 2026", "Autumn Tailoring 2025", "Autumn Tailoring 2026"],
  tailoring: ["Autumn 2024", "Autumn Tailoring 2025", "Autumn Tailoring 2026", "Spring 2025", "Spring 2026", "Essentials"],
  any: ["Essentials", "Autumn 2024", "Spring 2025", "Summer 2025", "Autumn Tailoring 2025", "Spring 2026", "Summer 2026", "Autumn Tailoring 2026"],
  tableware: ["Aalto", "Harbour", "Fell", "Linnea", "Ostra"],
  soft: ["Linen House", "Harbour", "Fell", "Christmas 2025"],
  essentials: ["Essentials"],
} as const;

/** Lists in the tables below are written "a, b, c". */
const list = (text: string) => text.split(", ");

/** Colour ranges by name. */
const COLOURS = {
  fashion: list(
    "Black, Navy, Ecru, Ivory, White, Stone, Camel, Khaki, Olive, Sage, Chocolate, Burgundy, Rust, Charcoal, Grey Marl, Sky Blue, Cobalt, Pale Pink, Lilac, Butter Yellow, Forest Green, Tan, Cream, Terracotta",
  ),
  denim: list("Light Wash, Mid Wash, Dark Wash, Indigo, Black, Ecru"),
  leather: list("Black, Tan, Chocolate, Burgundy, Navy, Stone, Cream"),
  home: list("White, Stone, Sage, Ochre, Slate, Clay, Natural, Smoke, Ink Blue, Oat"),
  glass: list("Clear, Smoke, Amber, Green, Clear"),
  metal: list("Brushed Steel, Polished Steel, Matt Black, Gold"),
  candle: list("Clear, Amber, Smoke, White"),
};

type CategorySpec = {
  category: string;
  department: Department;
  items: string[];
  /** Materials, home ranges or scents: the first word of the name and of the style code. */
  qualifiers: string[];
  colours: readonly string[];
  scheme: SizeScheme;
  pounds: [number, number];
  count: number;
  collections: readonly string[];
  brands: [string, number][];
};

/** A category's range; its brands are written with their relative weights, "Marlow 8, Marlow Studio 2". */
function spec(
  department: Department,
  category: string,
  scheme: SizeScheme,
  pounds: [number, number],
  count: number,
  colours: keyof typeof COLOURS,
  collections: keyof typeof SEASONAL,
  brands: string,
  lists: { items: string; qualifiers: string },
): CategorySpec {
  const weighted = list(brands).map((brand): [string, number] => {
    const space = brand.lastIndexOf(" ");
    return [brand.slice(0, space), Number(brand.slice(space + 1))];
  });
  return {
    category,
    department,
    items: list(lists.items),
    qualifiers: list(lists.qualifiers),
    colours: COLOURS[colours],
    scheme,
    pounds,
    count,
    collections: SEASONAL[collections],
    brands: weighted,
  };
}

const CATEGORIES: CategorySpec[] = [
  // department, category, size scheme, price range in pounds, styles to make, colours, collections, brands
  spec("womenswear", "Tops", "letter", [22, 69], 44, "fashion", "light", "Marlow 8, Marlow Studio 2", {
    items: "Top, Wrap Top, Shell Top, Camisole, Blouse, T-Shirt, Vest",
    qualifiers: "Linen, Cotton, Silk, Jersey, Organic Cotton, Modal, Broderie",
  }),
  spec("womenswear", "Shirts", "letter", [35, 89], 24, "fashion", "any", "Marlow 8, Marlow Studio 2", {
    items: "Shirt, Oversized Shirt, Tunic Shirt",
    qualifiers: "Poplin, Linen, Oxford, Silk, Chambray",
  }),
  spec("womenswear", "Knitwear", "letter", [39, 159], 30, "fashion", "warm", "Marlow 8, Marlow Studio 2, Saltings 3", {
    items: "Jumper, Cardigan, Roll Neck, Knitted Vest, Crew Neck Jumper",
    qualifiers: "Merino, Cashmere, Lambswool, Cotton, Alpaca Blend",
  }),
  spec("womenswear", "Jackets", "dress", [79, 229], 26, "fashion", "tailoring", "Marlow 8, Marlow Studio 2, Northmoor 2", {
    items: "Blazer, Jacket, Shacket, Bomber Jacket, Utility Jacket",
    qualifiers: "Linen, Tweed, Cotton Twill, Denim, Wool Blend, Suede",
  }),
  spec("womenswear", "Coats", "dress", [119, 349], 20, "fashion", "warm", "Marlow 8, Marlow Studio 2, Northmoor 4", {
    items: "Coat, Trench Coat, Wrap Coat, Puffer Coat, Car Coat",
    qualifiers: "Wool, Cashmere Blend, Cotton Gabardine, Recycled Nylon, Boucle",
  }),
  spec("womenswear", "Trousers", "dress", [39, 99], 28, "fashion", "tailoring", "Marlow 8, Marlow Studio 2", {
    items: "Trousers, Wide-Leg Trousers, Tapered Trousers, Culottes, Cigarette Trousers",
    qualifiers: "Linen, Wool, Crepe, Cotton Twill, Cord",
  }),
  spec("womenswear", "Jeans", "dress", [45, 99], 16, "denim", "essentials", "Marlow 8, Marlow Studio 2", {
    items: "Straight Jeans, Slim Jeans, Wide-Leg Jeans, Mom Jeans, Bootcut Jeans",
    qualifiers: "Stretch, Rigid, Organic",
  }),
  spec("womenswear", "Dresses", "dress", [49, 179], 40, "fashion", "light", "Marlow 8, Marlow Studio 2", {
    items: "Midi Dress, Wrap Dress, Shirt Dress, Slip Dress, Maxi Dress, Tea Dress",
    qualifiers: "Linen, Silk, Jersey, Cotton, Crepe, Satin",
  }),
  spec("womenswear", "Skirts", "dress", [35, 99], 20, "fashion", "any", "Marlow 8, Marlow Studio 2", {
    items: "Midi Skirt, Pleated Skirt, A-Line Skirt, Mini Skirt, Slip Skirt",
    qualifiers: "Linen, Satin, Wool, Cotton, Suede",
  }),
  spec("womenswear", "Shoes", "womensShoe", [59, 229], 30, "leather", "any", "Marlow 4, Kestrel & Co 3", {
    items: "Loafers, Ankle Boots, Trainers, Sandals, Ballet Flats, Knee Boots, Mules",
    qualifiers: "Leather, Suede, Canvas, Patent",
  }),
  spec("menswear", "Tops", "mensLetter", [19, 59], 26, "fashion", "light", "Marlow 8, Marlow Studio 2", {
    items: "T-Shirt, Polo Shirt, Henley, Sweatshirt",
    qualifiers: "Cotton, Pique, Organic Cotton, Loopback",
  }),
  spec("menswear", "Shirts", "mensLetter", [35, 89], 26, "fashion", "any", "Marlow 8, Marlow Studio 2", {
    items: "Oxford Shirt, Shirt, Overshirt, Poplin Shirt, Flannel Shirt",
    qualifiers: "Cotton, Linen, Brushed Cotton, Chambray",
  }),
  spec("menswear", "Knitwear", "mensLetter", [45, 169], 22, "fashion", "warm", "Marlow 8, Marlow Studio 2, Saltings 3", {
    items: "Crew Neck Jumper, Roll Neck, Cardigan, Quarter-Zip",
    qualifiers: "Merino, Lambswool, Cashmere, Cotton",
  }),
  spec("menswear", "Jackets", "mensLetter", [79, 249], 20, "fashion", "tailoring", "Marlow 8, Marlow Studio 2, Northmoor 2", {
    items: "Blazer, Chore Jacket, Harrington Jacket, Field Jacket",
    qualifiers: "Wool, Linen, Cotton Twill, Cord",
  }),
  spec("menswear", "Coats", "mensLetter", [129, 379], 14, "fashion", "warm", "Marlow 8, Marlow Studio 2, Northmoor 4", {
    items: "Overcoat, Peacoat, Parka, Mac",
    qualifiers: "Wool, Cashmere Blend, Waxed Cotton, Recycled Nylon",
  }),
  spec("menswear", "Trousers", "waist", [45, 109], 22, "fashion", "tailoring", "Marlow 8, Marlow Studio 2", {
    items: "Chinos, Trousers, Cargo Trousers, Drawstring Trousers",
    qualifiers: "Cotton, Wool, Linen, Cord",
  }),
  spec("menswear", "Jeans", "waist", [49, 119], 14, "denim", "essentials", "Marlow 8, Marlow Studio 2", {
    items: "Slim Jeans, Straight Jeans, Tapered Jeans, Relaxed Jeans",
    qualifiers: "Stretch, Rigid, Selvedge",
  }),
  spec("menswear", "Shoes", "mensShoe", [69, 229], 22, "leather", "any", "Marlow 4, Kestrel & Co 3", {
    items: "Derby Shoes, Chelsea Boots, Trainers, Loafers, Brogues",
    qualifiers: "Leather, Suede, Canvas",
  }),
  spec("accessories", "Bags", "one", [35, 249], 30, "leather", "any", "Marlow 5, Kestrel & Co 4", {
    items: "Tote Bag, Crossbody Bag, Shoulder Bag, Backpack, Clutch, Weekender",
    qualifiers: "Leather, Canvas, Suede, Recycled Nylon, Woven Straw",
  }),
  spec("accessories", "Scarves", "one", [19, 99], 18, "fashion", "warm", "Marlow 8, Marlow Studio 2, Saltings 3", {
    items: "Scarf, Square Scarf, Wrap, Snood",
    qualifiers: "Cashmere, Wool, Silk, Linen, Modal",
  }),
  spec("accessories", "Belts", "belt", [19, 59], 12, "leather", "essentials", "Marlow 5, Kestrel & Co 3", {
    items: "Belt, Woven Belt, Skinny Belt, Reversible Belt",
    qualifiers: "Leather, Suede, Canvas",
  }),
  spec("accessories", "Accessories", "one", [9, 79], 24, "fashion", "any", "Marlow 8, Marlow Studio 2", {
    items: "Beanie, Gloves, Sunglasses, Cardholder, Wallet, Hair Clip, Earrings",
    qualifiers: "Wool, Leather, Acetate, Recycled Silver, Cashmere",
  }),
  spec("home", "Dinnerware", "one", [18, 249], 26, "home", "tableware", "Marlow Home 5, Ostra Ceramics 2", {
    items: "Dinner Service, Dinner Plates, Side Plates, Pasta Bowls, Serving Platter, Mug Set",
    qualifiers: "Aalto, Harbour, Fell, Linnea, Ostra",
  }),
  spec("home", "Glassware", "one", [18, 69], 20, "glass", "tableware", "Marlow Home 5, Fjell 3", {
    items: "Wine Glasses, Tumblers, Carafe, Champagne Flutes, Highball Glasses",
    qualifiers: "Aalto, Harbour, Fell, Linnea, Ostra",
  }),
  spec("home", "Cutlery", "one", [25, 149], 12, "metal", "tableware", "Marlow Home 4, Fjell 3", {
    items: "Cutlery Set, Steak Knives, Serving Set, Teaspoons",
    qualifiers: "Aalto, Harbour, Fell, Linnea",
  }),
  spec("home", "Bedding", "bedding", [39, 179], 24, "home", "soft", "Marlow Home 1", {
    items: "Duvet Cover, Fitted Sheet, Bedspread, Duvet Set",
    qualifiers: "Linen, Cotton Percale, Cotton Sateen, Brushed Cotton, Waffle",
  }),
  spec("home", "Cushions", "one", [15, 49], 18, "home", "soft", "Marlow Home 4, Loam 2", {
    items: "Cushion, Bolster Cushion, Floor Cushion",
    qualifiers: "Linen, Velvet, Boucle, Wool, Cotton",
  }),
  spec("home", "Candles", "one", [8, 38], 16, "candle", "soft", "Loam 3, Marlow Home 2", {
    items: "Candle, Three-Wick Candle, Diffuser, Candle Set",
    qualifiers: "Fig & Cedar, Sea Salt, Amber, Rhubarb, Wild Mint, Tomato Leaf",
  }),
];

/** The styles the demo customers and the README talk about, with fixed codes. */
export const HERO_STYLES = {
  linenTop: "LT-0412",
  linenBlazer: "LB-0413",
  linenTrousers: "LW-0414",
  aaltoDinnerService: "AD-0501",
  aaltoWineGlasses: "AW-0502",
  aaltoCutlery: "AC-0503",
} as const;

type HeroSpec = Omit<Style, "skus" | "cost" | "launchedAt" | "active">;

function hero(
  style: string,
  name: string,
  category: string,
  department: Department,
  collection: string,
  brand: string,
  colour: string,
  scheme: SizeScheme,
  price: number,
  promoPercent: number | null,
): HeroSpec {
  return { style, name, category, department, collection, brand, colour, scheme, price, promoPercent };
}

const HEROES: HeroSpec[] = [
  hero(HERO_STYLES.linenTop, "Linen Top", "Tops", "womenswear", "Spring Linen 2026", "Marlow", "Ecru", "letter", 3900, null),
  hero(HERO_STYLES.linenBlazer, "Linen Blazer", "Jackets", "womenswear", "Spring Linen 2026", "Marlow", "Ecru", "dress", 8900, null),
  hero(HERO_STYLES.linenTrousers, "Linen Wide-Leg Trousers", "Trousers", "womenswear", "Spring Linen 2026", "Marlow", "Ecru", "dress", 4900, null),
  hero(HERO_STYLES.aaltoDinnerService, "Aalto Dinner Service", "Dinnerware", "home", "Aalto", "Marlow Home", "Stone", "one", 14500, 30),
  hero(HERO_STYLES.aaltoWineGlasses, "Aalto Wine Glasses", "Glassware", "home", "Aalto", "Marlow Home", "Clear", "one", 3800, null),
  hero(HERO_STYLES.aaltoCutlery, "Aalto Cutlery Set", "Cutlery", "home", "Aalto", "Marlow Home", "Brushed Steel", "one", 8900, null),
];

const ADJECTIVES = ["Relaxed", "Cropped", "Oversized", "Fitted", "Longline", "Tailored", "Textured", "Ribbed", "Pleated", "Easy"];
/** Items that read badly with a fit adjective in front. */
const PLAIN_CATEGORIES = new Set(["Shoes", "Bags", "Belts", "Accessories", "Dinnerware", "Glassware", "Cutlery", "Bedding", "Cushions", "Candles", "Jeans"]);

export function categorySlug(category: string): string {
  return category.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export function skuOf(style: string, size: string | null): string {
  return `${style}-${size === null ? "OS" : (SIZE_CODES[size] ?? size.toUpperCase())}`;
}

function skusOf(style: string, scheme: SizeScheme): Sku[] {
  return SIZE_SCHEMES[scheme].map((size) => ({ sku: skuOf(style, size), size }));
}

/** Shop prices: whole pounds ending in 5 or 9. */
function shopPrice(random: Random, [min, max]: [number, number]): number {
  const pounds = random.int(min, max);
  return (Math.max(5, Math.round(pounds / 5) * 5) - (random.chance(0.7) ? 1 : 0)) * 100;
}

export type Catalogue = {
  styles: Style[];
  byStyle: Map<string, Style>;
  /** Styles by "department/category", oldest launch first, for picking what was on sale at a date. */
  pools: Map<string, Style[]>;
  /** Styles by collection, then by category: what goes together. */
  byCollection: Map<string, Map<string, Style[]>>;
  /** Active styles on promotion now. */
  promoted: Style[];
};

export const poolKey = (department: Department, category: string) => `${department}/${category}`;

/** The chain's range: the same for every seed, so the README and tests can name styles. */
export function buildCatalogue(): Catalogue {
  const random = new Random(20_261_101);
  const styles: Style[] = HEROES.map((h) => ({
    ...h,
    cost: Math.round(h.price * 0.4),
    launchedAt: COLLECTIONS[h.collection],
    active: true,
    skus: skusOf(h.style, h.scheme),
  }));
  // The demo's story names the heroes ("the Aalto dinner service"), so no other style shares their names.
  const heroNames = new Set(HEROES.map((h) => h.name));
  let serial = 1000;
  for (const spec of CATEGORIES) {
    const brands = new Weighted(spec.brands);
    const plain = PLAIN_CATEGORIES.has(spec.category);
    for (let i = 0; i < spec.count; i++) {
      let item: string;
      let qualifier: string;
      let name: string;
      do {
        item = random.pick(spec.items);
        qualifier = random.pick(spec.qualifiers);
        name = `${!plain && random.chance(0.3) ? `${random.pick(ADJECTIVES)} ` : ""}${qualifier} ${item}`;
      } while (heroNames.has(name));
      const collection =
        spec.department === "home" && spec.collections === SEASONAL.tableware
          ? qualifier
          : qualifier === "Linen" && spec.department !== "home"
            ? random.pick(SEASONAL.linen)
            : random.pick(spec.collections);
      const style = `${qualifier[0]}${item[0]}-${String(serial++).padStart(4, "0")}`.toUpperCase();
      const price = shopPrice(random, spec.pounds);
      const retired = RETIRED_COLLECTIONS.has(collection) && random.chance(0.35);
      styles.push({
        style,
        name,
        category: spec.category,
        department: spec.department,
        collection,
        brand: brands.draw(random),
        colour: random.pick(spec.colours),
        scheme: spec.scheme,
        price,
        cost: Math.round(price * (0.3 + random.next() * 0.15)),
        promoPercent: !retired && random.chance(0.05) ? random.pick([20, 25, 30]) : null,
        active: !retired,
        launchedAt: COLLECTIONS[collection],
        skus: skusOf(style, spec.scheme),
      });
    }
  }
  return indexCatalogue(styles);
}

function indexCatalogue(styles: Style[]): Catalogue {
  const byStyle = new Map(styles.map((s) => [s.style, s]));
  const pools = new Map<string, Style[]>();
  const byCollection = new Map<string, Map<string, Style[]>>();
  const push = <K>(map: Map<K, Style[]>, key: K, s: Style) => {
    const list = map.get(key);
    if (list) list.push(s);
    else map.set(key, [s]);
  };
  for (const s of styles) {
    push(pools, poolKey(s.department, s.category), s);
    if (!byCollection.has(s.collection)) byCollection.set(s.collection, new Map());
    push(byCollection.get(s.collection)!, s.category, s);
  }
  for (const pool of pools.values()) pool.sort((a, b) => a.launchedAt - b.launchedAt);
  return { styles, byStyle, pools, byCollection, promoted: styles.filter((s) => s.active && s.promoPercent !== null) };
}

/** How many of a pool's styles (sorted by launch) were on sale at `at`. */
export function onSaleCount(pool: readonly Style[], at: number): number {
  let lo = 0;
  let hi = pool.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pool[mid].launchedAt <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sizes in the middle of the range sell best, so they are stocked deepest. */
function sizeDepth(scheme: SizeScheme, size: string | null): number {
  const sizes: readonly (string | null)[] = SIZE_SCHEMES[scheme];
  if (sizes.length === 1) return 1;
  const middle = (sizes.length - 1) / 2;
  return 1 - Math.abs(sizes.indexOf(size) - middle) / (middle + 1);
}

export type StockLevel = { sku: string; quantity: number };

/**
 * A store's stock, with the gaps of a real shop floor: some styles are not ranged there, and of the
 * ranged ones some sizes have sold out. The heroes are always in stock at the flagship.
 */
export function storeStock(catalogue: Catalogue, storeIndex: number, breadth: number, flagship: boolean): StockLevel[] {
  const random = new Random(7_000 + storeIndex);
  const heroes = new Set<string>(Object.values(HERO_STYLES));
  const out: StockLevel[] = [];
  for (const s of catalogue.styles) {
    const hero = flagship && heroes.has(s.style);
    if (!hero && !random.chance(s.active ? breadth : breadth * 0.3)) continue;
    const home = s.department === "home";
    for (const { sku, size } of s.skus) {
      let quantity = 0;
      if (s.active && (hero || !random.chance(0.18))) {
        const depth = sizeDepth(s.scheme, size);
        quantity = Math.max(hero ? 2 : 1, Math.round((home ? 3 + random.next() * 9 : 1 + random.next() * 7) * (0.4 + depth)));
      }
      out.push({ sku, quantity });
    }
  }
  return out;
}
