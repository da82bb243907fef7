import { z } from "zod";
import { CHANNELS, INTERACTION_KINDS } from "@/db/schema";

/**
 * What one item of each kind looks like, for the file importer (after its column mapping) and the
 * HTTP API alike. Values arrive as CSV text or as JSON, so numbers, dates and yes/no accept both.
 */

export const INGEST_KINDS = ["customers", "orders", "products", "inventory", "interactions"] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

const blankToNull = (v: unknown) => {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string" && v.trim() === "") return null;
  return v;
};

/** Optional text: blank is absent. */
const text = (max = 500) => z.preprocess(blankToNull, z.string().max(max, `longer than ${max} characters`).nullable()).optional();

/** A required key (a source's own ID for something): text, trimmed, 1 to 200 characters. */
const key = (what: string) =>
  z.preprocess((v) => blankToNull(v) ?? "", z.string({ error: `missing ${what}` }).trim().min(1, `missing ${what}`).max(200, "longer than 200 characters"));

const integer = (what: string, check: (n: number) => boolean = () => true, rule = "") =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v.trim()) : v),
    z.number({ error: (i) => (i.input === undefined || i.input === null || i.input === "" ? `missing ${what}` : `"${String(i.input)}" is not a number`) })
      .int(`${what} must be a whole number`)
      .refine(check, `${what} ${rule}`),
  );

const optionalInteger = (what: string, check: (n: number) => boolean, rule: string) =>
  z.preprocess((v) => (blankToNull(v) === null ? null : v), integer(what, check, rule).nullable()).optional();

/** Epoch milliseconds, or anything Date.parse reads (ISO 8601). */
const moment = z.union([z.number(), z.string()], { error: "not a date" }).transform((v, c) => {
  const at = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v.trim()) : Date.parse(v);
  if (!Number.isFinite(at)) {
    c.addIssue({ code: "custom", message: `"${v}" is not a date` });
    return z.NEVER;
  }
  return at;
});

/** Blank is absent, as for text. */
const optionalMoment = z.preprocess((v) => (blankToNull(v) === null ? undefined : v), moment.optional());

const TRUE = new Set(["true", "yes", "y", "1", "t", "opt-in", "granted"]);
const FALSE = new Set(["false", "no", "n", "0", "f", "opt-out", "denied"]);
const yesNo = z.union([z.boolean(), z.string(), z.number()]).transform((v, c) => {
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  c.addIssue({ code: "custom", message: `"${v}" is not a yes/no consent` });
  return z.NEVER;
});

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(values, { error: (i) => (i.input === undefined || i.input === null || i.input === "" ? `missing ${what}` : `"${String(i.input)}" is not one of ${values.join(", ")}`) }),
  );

const customerShape = {
  sourceCustomerId: key("source customer ID"),
  firstName: text(),
  lastName: text(),
  email: text(),
  phone: text(),
  loyaltyId: text(),
  birthDate: text(),
  address: text(),
  postcode: text(),
  city: text(),
  country: text(),
  tier: text(),
  consents: z.record(z.string().regex(/^[a-z_]+$/, "consent channels are lower-case words"), yesNo).nullable().optional(),
  updatedAt: optionalMoment,
};

const lineShape = {
  sku: key("SKU"),
  quantity: integer("quantity", (n) => n !== 0 && Math.abs(n) <= 10_000, "must be between -10000 and 10000 and not 0"),
  unitPrice: integer("unit price", (n) => n >= 0, "must not be negative"),
};

const orderShape = {
  externalId: key("order ID"),
  sourceCustomerId: text(200),
  customerSource: text(100),
  channel: enumOf(CHANNELS, "channel"),
  storeCode: text(20),
  placedAt: moment,
  lines: z.array(z.object(lineShape), { error: "missing lines" }).min(1, "an order needs at least one line").max(500, "more than 500 lines"),
};

const productShape = {
  sku: key("SKU"),
  style: text(200),
  name: key("name"),
  category: key("category"),
  department: key("department"),
  collection: text(200),
  brand: key("brand"),
  colour: text(100),
  size: text(50),
  price: integer("price", (n) => n >= 0, "must not be negative"),
  cost: optionalInteger("cost", (n) => n >= 0, "must not be negative"),
  promoPercent: optionalInteger("promo percent", (n) => n >= 0 && n <= 100, "must be 0 to 100"),
  imagePath: text(500),
  active: z.preprocess((v) => (blankToNull(v) === null ? undefined : v), yesNo.optional()),
};

const inventoryShape = {
  storeCode: key("store code"),
  sku: key("SKU"),
  quantity: integer("quantity", (n) => n >= 0, "must not be negative"),
  updatedAt: optionalMoment,
};

const interactionShape = {
  externalId: key("interaction ID"),
  sourceCustomerId: key("source customer ID"),
  customerSource: text(100),
  kind: enumOf(INTERACTION_KINDS, "kind"),
  sku: text(200),
  storeCode: text(20),
  at: moment,
};

export const SHAPES = {
  customers: customerShape,
  orders: orderShape,
  products: productShape,
  inventory: inventoryShape,
  interactions: interactionShape,
} as const;

/** Files carry other columns too: unknown keys are dropped. */
export const ITEM_SCHEMAS = {
  customers: z.object(customerShape),
  orders: z.object(orderShape),
  products: z.object(productShape),
  inventory: z.object(inventoryShape),
  interactions: z.object(interactionShape),
} as const;

/** An API caller sends exactly our fields: a misspelt one is an error, not silently dropped. */
export const STRICT_ITEM_SCHEMAS = {
  customers: z.strictObject(customerShape),
  orders: z.strictObject({ ...orderShape, lines: z.array(z.strictObject(lineShape)).min(1, "an order needs at least one line").max(500, "more than 500 lines") }),
  products: z.strictObject(productShape),
  inventory: z.strictObject(inventoryShape),
  interactions: z.strictObject(interactionShape),
} as const;

export type CustomerItem = z.output<typeof ITEM_SCHEMAS.customers>;
export type OrderItem = z.output<typeof ITEM_SCHEMAS.orders>;
export type ProductItem = z.output<typeof ITEM_SCHEMAS.products>;
export type InventoryItem = z.output<typeof ITEM_SCHEMAS.inventory>;
export type InteractionItem = z.output<typeof ITEM_SCHEMAS.interactions>;

/** The fields a mapping file may name for each kind; "consents.<channel>" and "lines.<field>" besides. */
export function mappableFields(kind: IngestKind): string[] {
  const fields = Object.keys(SHAPES[kind]).filter((f) => f !== "lines" && f !== "consents");
  if (kind === "orders") return [...fields, "lines", ...Object.keys(lineShape).map((f) => `lines.${f}`)];
  return fields;
}

export type FieldError = { field: string; message: string };

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.length ? i.path.join(".") : i.code === "unrecognized_keys" ? i.keys.join(",") : "item", message: i.message }));
}
