import { z } from "zod";
import { CONSENT_CHANNELS } from "@/lib/customers/channels";

export const LIST_SORTS = ["last_purchase_desc", "last_purchase_asc", "spend_desc", "spend_asc", "name_asc", "name_desc"] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export const SORT_LABELS: Record<ListSort, string> = {
  last_purchase_desc: "Last purchase, newest first",
  last_purchase_asc: "Last purchase, oldest first",
  spend_desc: "Spend, highest first",
  spend_asc: "Spend, lowest first",
  name_asc: "Name, A to Z",
  name_desc: "Name, Z to A",
};

/** A form left blank sends "": that is "no filter", not an invalid value. */
const blank = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "That is not a real date.");
const pounds = z.coerce.number({ error: "Enter an amount in pounds." }).min(0, "An amount cannot be negative.").max(10_000_000, "That amount is too large.");
const label = z.string().trim().min(1).max(80, "That value is too long.");

/**
 * Everything that shapes the managers' list lives in the URL, so a list can be bookmarked or shared.
 * Money is in whole pounds and dates are calendar days (UTC) as typed; the query converts them.
 */
const listParamsSchema = z
  .object({
    store: optional(z.coerce.number({ error: "Pick a store." }).int("Pick a store.").positive("Pick a store.")),
    tier: optional(label),
    from: optional(isoDate),
    to: optional(isoDate),
    minSpend: optional(pounds),
    maxSpend: optional(pounds),
    category: optional(label),
    collection: optional(label),
    associate: optional(z.coerce.number({ error: "Pick an associate." }).int("Pick an associate.").positive("Pick an associate.")),
    consent: optional(z.enum(CONSENT_CHANNELS, { error: "Consent is email, sms or post." })),
    notSeen: optional(
      z.coerce.number({ error: "Not seen for: enter a number of days." }).int("Whole days, please.").min(1, "At least 1 day.").max(3650, "At most 3650 days."),
    ),
    sort: z.preprocess(blank, z.enum(LIST_SORTS, { error: "Unknown sort order." }).default("last_purchase_desc")),
    after: optional(z.string().max(300, "This page link is broken.")),
  })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: "The first date must be on or before the second.", path: ["to"] })
  .refine((p) => p.minSpend === undefined || p.maxSpend === undefined || p.minSpend <= p.maxSpend, {
    message: "The lowest spend must not exceed the highest.",
    path: ["maxSpend"],
  });

export type ListParams = z.output<typeof listParamsSchema>;
export type ListFilter = Omit<ListParams, "store" | "after">;

export const FIELD_LABELS: Record<string, string> = {
  store: "Store",
  tier: "Tier",
  from: "Last purchase from",
  to: "Last purchase to",
  minSpend: "Spend from",
  maxSpend: "Spend to",
  category: "Bought category",
  collection: "Bought collection",
  associate: "Associate",
  consent: "Consent",
  notSeen: "Not seen for",
  sort: "Sort",
  after: "Page",
};

export type ParsedListParams = { ok: true; params: ListParams } | { ok: false; errors: string[] };

/** Parses a page's or route's search params: repeated keys take the first value; every problem is reported, by field. */
export function parseListParams(raw: Record<string, string | string[] | undefined> | URLSearchParams): ParsedListParams {
  const entries =
    raw instanceof URLSearchParams
      ? [...raw.keys()].map((k) => [k, raw.get(k)] as const)
      : Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  const parsed = listParamsSchema.safeParse(Object.fromEntries(entries.filter(([k]) => k in FIELD_LABELS)));
  if (parsed.success) return { ok: true, params: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${FIELD_LABELS[String(i.path[0])] ?? "Filter"}: ${i.message}`) };
}

/** The canonical query string of a list: same filter, same string, so saved lists and bookmarks compare equal. */
export function listQueryString(params: Partial<ListParams>, overrides: Partial<Record<keyof ListParams, string | number | undefined>> = {}): string {
  const out = new URLSearchParams();
  for (const key of Object.keys(FIELD_LABELS) as (keyof ListParams)[]) {
    const value = key in overrides ? overrides[key] : params[key];
    if (value === undefined || value === null || value === "") continue;
    if (key === "sort" && value === "last_purchase_desc") continue;
    out.set(key, String(value));
  }
  return out.toString();
}

/** The filter part only (no store, no page): what a saved list keeps. */
export function filterOf(params: ListParams): ListFilter {
  const { store: _store, after: _after, ...filter } = params;
  return filter;
}
