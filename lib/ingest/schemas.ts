import { z } from "zod";
import { CHANNELS, INTERACTION_KINDS } from "@/db/schema";
import { CONSENT_CHANNELS, type ConsentChannel } from "@/lib/customers/channels";

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

/**
 * Control characters, the bidirectional-text overrides that make "\u202Eevil" display as "live", and
 * the characters that show as nothing (zero-width space, word joiner, soft hyphen, byte-order mark):
 * never part of a name, an address or a code, and a way to make one customer look like another or
 * a name no search finds. Zero-width joiners stay: some scripts and emoji are written with them.
 */
const INVISIBLE = new RegExp("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\u00AD\\u200B\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF]", "g");
/** A value as the fields read it: text without the invisible characters, blank as null; numbers as text. */
export const visible = (v: unknown) => {
  const value = blankToNull(v);
  return typeof value === "string" ? blankToNull(value.replace(INVISIBLE, "")) : value;
};

/** Half of a UTF-16 pair without the other half (JSON may carry one): no character at all, stored as "\uFFFD". */
const wellFormed = (s: string | null) => s === null || s.isWellFormed();
const BROKEN = "holds a broken character (half of a UTF-16 surrogate pair)";

/** Optional text: blank (or only invisible characters) is absent. */
const text = (max = 500) => z.preprocess(visible, z.string().max(max, `longer than ${max} characters`).nullable().refine(wellFormed, BROKEN)).optional();

/**
 * A required key (a source's own ID for something): text, trimmed, 1 to 200 characters. A number
 * is taken only while JSON keeps it exactly (12345678901234567890123 arrives as 1.2345678901234568e+22).
 */
const key = (what: string) =>
  z.preprocess(
    (v, c) => {
      if (typeof v === "number" && !Number.isSafeInteger(v)) {
        c.addIssue({ code: "custom", message: `${String(v)} is not a ${what} JSON keeps exactly: send it as text, in quotes` });
        return z.NEVER;
      }
      return visible(v) ?? "";
    },
    z
      .string({ error: `missing ${what}` })
      .trim()
      .min(1, `missing ${what}`)
      .max(200, "longer than 200 characters")
      .refine(wellFormed, BROKEN),
  );

/** "12" is 12; text that is no number stays as sent, so the message quotes it rather than NaN. */
const numberFromText = (v: unknown) => {
  if (typeof v !== "string" || v.trim() === "") return v;
  const n = Number(v.trim());
  return Number.isNaN(n) ? v : n;
};

const integer = (what: string, check: (n: number) => boolean = () => true, rule = "") =>
  z.preprocess(
    numberFromText,
    z
      .number({ error: (i) => (i.input === undefined || i.input === null || i.input === "" ? `missing ${what}` : `"${String(i.input)}" is not a number`) })
      .int(`${what} must be a whole number`)
      .refine(check, `${what} ${rule}`),
  );

const optionalInteger = (what: string, check: (n: number) => boolean, rule: string) =>
  z.preprocess((v) => (blankToNull(v) === null ? null : v), integer(what, check, rule).nullable()).optional();

/** £10,000,000: more is a barcode keyed into the price field, and would swamp every spend figure. */
export const MAX_PENCE = 1_000_000_000;

/**
 * An amount in pence: a till that averages or converts sends fractions of a penny (2.5, 0.1), which
 * are rounded to the nearest penny; anything else must be a number that is not negative.
 */
const pence = (what: string) =>
  z.preprocess(
    numberFromText,
    z
      .number({ error: (i) => (i.input === undefined || i.input === null || i.input === "" ? `missing ${what}` : `"${String(i.input)}" is not a number`) })
      .refine(Number.isFinite, `${what} must be a number`)
      .refine((n) => n >= 0, `${what} must not be negative`)
      .refine((n) => n <= MAX_PENCE, `${what} must be at most ${MAX_PENCE} (pence: £10,000,000)`)
      .transform((n) => Math.round(n)),
  );

const optionalPence = (what: string) => z.preprocess((v) => (blankToNull(v) === null ? null : v), pence(what).nullable()).optional();

/** Optional grouping text (category, department, brand): blank or absent is stored as "" (none). */
const grouping = (max = 200) => z.preprocess((v) => blankToNull(v) ?? "", z.string().trim().max(max, `longer than ${max} characters`));

const EARLIEST_MOMENT = Date.UTC(1900, 0, 1);
/** A day's slack for a till whose clock runs ahead or sits in another time zone. */
const LATEST_MOMENT_AHEAD = 24 * 60 * 60 * 1000;

/**
 * Epoch milliseconds, or anything Date.parse reads (ISO 8601), from 1900 to tomorrow: a year 9999
 * or a number past what a date can hold is a typo or a placeholder, not when something happened.
 */
const moment = z.union([z.number(), z.string()], { error: "not a date" }).transform((v, c) => {
  const at = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v.trim()) : Date.parse(v);
  if (!Number.isFinite(at)) {
    c.addIssue({ code: "custom", message: `"${v}" is not a date` });
    return z.NEVER;
  }
  if (at < EARLIEST_MOMENT || at > Date.now() + LATEST_MOMENT_AHEAD) {
    c.addIssue({ code: "custom", message: `"${v}" is not a date from 1900 to today` });
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

/** Consents by channel, the channel as any source spells it ("SMS", " Email"); one the product does not know is refused. */
function consentChannels(consents: Record<string, boolean>, c: z.RefinementCtx): Partial<Record<ConsentChannel, boolean>> {
  const out: Partial<Record<ConsentChannel, boolean>> = {};
  for (const [key, granted] of Object.entries(consents)) {
    const channel = key.trim().toLowerCase();
    if ((CONSENT_CHANNELS as readonly string[]).includes(channel)) out[channel as ConsentChannel] = granted;
    else c.addIssue({ code: "custom", path: [key], message: `"${key}" is not a consent channel: ${CONSENT_CHANNELS.join(", ")}` });
  }
  return out;
}

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(values, {
      error: (i) =>
        i.input === undefined || i.input === null || i.input === "" ? `missing ${what}` : `"${String(i.input)}" is not one of ${values.join(", ")}`,
    }),
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
  consents: z.record(z.string(), yesNo).transform(consentChannels).nullable().optional(),
  updatedAt: optionalMoment,
};

/**
 * Limits that tell a keying or export error from a real order. A year of a UK gift-ware wholesaler
 * (../shared/data/online_retail_2009) has lines of up to 19,152 units and invoices of up to 582
 * lines. A quantity beyond 100,000 is a barcode or price keyed into the quantity field (8 to 14
 * digits), and it rejects that line only: the rest of the order is still the customer's history.
 * 10,000 lines is a wholesaler's order many times over and still one savepoint of a few tens of ms.
 */
export const MAX_LINE_QUANTITY = 100_000;
export const MAX_ORDER_LINES = 10_000;

const lineShape = {
  sku: key("SKU"),
  quantity: integer("quantity", (n) => n !== 0 && Math.abs(n) <= MAX_LINE_QUANTITY, `must be between -${MAX_LINE_QUANTITY} and ${MAX_LINE_QUANTITY} and not 0`),
  unitPrice: pence("unit price"),
};

export type LineReject = { field: string; message: string };

/**
 * An order's lines: each is checked alone, and a bad line is left out (and reported as
 * `rejectedLines`) rather than losing the whole order. An order with no good line is rejected.
 */
const orderLinesOf = (line: z.ZodType<z.output<z.ZodObject<typeof lineShape>>>) =>
  z
    .array(z.unknown(), { error: "missing lines" })
    .min(1, "an order needs at least one line")
    .max(MAX_ORDER_LINES, `more than ${MAX_ORDER_LINES.toLocaleString("en-GB")} lines`)
    .transform((raw, c) => {
      const lines: z.output<typeof line>[] = [];
      const rejectedLines: LineReject[] = [];
      raw.forEach((value, i) => {
        const parsed = line.safeParse(value);
        if (parsed.success) lines.push(parsed.data);
        else for (const issue of parsed.error.issues) rejectedLines.push({ field: ["lines", i, ...issue.path].join("."), message: issue.message });
      });
      if (lines.length === 0) {
        for (const r of rejectedLines)
          c.addIssue({
            code: "custom",
            message: r.message,
            path: r.field
              .split(".")
              .slice(1)
              .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          });
        return z.NEVER;
      }
      return { lines, rejectedLines };
    });

const orderHead = {
  externalId: key("order ID"),
  sourceCustomerId: text(200),
  customerSource: text(100),
  channel: enumOf(CHANNELS, "channel"),
  storeCode: text(20),
  placedAt: moment,
};

type CheckedLines = { lines: z.output<z.ZodObject<typeof lineShape>>[]; rejectedLines: LineReject[] };
const flattenLines = <T extends { lines: CheckedLines }>({ lines, ...rest }: T) => ({ ...rest, ...lines });

/** A sale at a till is that store's: without its code it would count for no store's customers. */
const storeOrderHasStore = (order: { channel: string; storeCode?: string | null }, c: z.RefinementCtx) => {
  if (order.channel === "store" && !order.storeCode)
    c.addIssue({ code: "custom", path: ["storeCode"], message: "missing store code: an in-store order is a store's" });
};

const orderShape = { ...orderHead, lines: orderLinesOf(z.object(lineShape)) };

const productShape = {
  sku: key("SKU"),
  style: text(200),
  name: key("name"),
  category: grouping(),
  department: grouping(),
  collection: text(200),
  brand: grouping(),
  colour: text(100),
  size: text(50),
  price: pence("price"),
  cost: optionalPence("cost"),
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
  orders: z.object(orderShape).superRefine(storeOrderHasStore).transform(flattenLines),
  products: z.object(productShape),
  inventory: z.object(inventoryShape),
  interactions: z.object(interactionShape),
} as const;

/** An API caller sends exactly our fields: a misspelt one is an error, not silently dropped. */
export const STRICT_ITEM_SCHEMAS = {
  customers: z.strictObject(customerShape),
  orders: z
    .strictObject({ ...orderHead, lines: orderLinesOf(z.strictObject(lineShape)) })
    .superRefine(storeOrderHasStore)
    .transform(flattenLines),
  products: z.strictObject(productShape),
  inventory: z.strictObject(inventoryShape),
  interactions: z.strictObject(interactionShape),
} as const;

export type CustomerItem = z.output<typeof ITEM_SCHEMAS.customers>;
export type OrderItem = z.output<typeof ITEM_SCHEMAS.orders>;
export type ProductItem = z.output<typeof ITEM_SCHEMAS.products>;
export type InventoryItem = z.output<typeof ITEM_SCHEMAS.inventory>;
export type InteractionItem = z.output<typeof ITEM_SCHEMAS.interactions>;

/** The fields a mapping file may name for each kind, with a customer's consents one per channel ("consents.sms"). */
export function mappableFields(kind: IngestKind): string[] {
  const fields = Object.keys(SHAPES[kind]).filter((f) => f !== "lines" && f !== "consents");
  if (kind === "orders") return [...fields, "lines", ...Object.keys(lineShape).map((f) => `lines.${f}`)];
  if (kind === "customers") return [...fields, ...CONSENT_CHANNELS.map((c) => `consents.${c}`)];
  return fields;
}

export type FieldError = { field: string; message: string };

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.join(".") : i.code === "unrecognized_keys" ? i.keys.join(",") : "item",
    message: i.message,
  }));
}
