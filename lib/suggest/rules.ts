import { desc, eq, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { type Db, inTransaction } from "@/db/client";
import { RULE_ANCHOR_KINDS, RULE_TARGET_KINDS, type SuggestionRule, type SuggestionRuleStatus, products, staff, stores, suggestionRules } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validate";
import { DAY_MS } from "@/lib/days";
import type { RuleDefinition } from "./rank";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const day = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || (DATE.test(v) && Number.isFinite(Date.parse(v))), `${label}: use a date like 2026-05-03, or leave it empty.`)
    .transform((v) => (v === "" ? null : Date.parse(v)));

/** What head office types into the rule form, checked the same way for save and preview. */
export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name.").max(80, "Keep the name under 80 characters."),
    anchorKind: z.enum(RULE_ANCHOR_KINDS, { error: "Choose what the customer bought." }),
    anchorValue: z.string().trim().min(1, "Say which SKU, category, collection or brand.").max(80),
    withinDays: z.number({ error: "Enter a number of days." }).int("Whole days only.").min(1, "At least 1 day.").max(730, "At most 730 days."),
    targetKind: z.enum(RULE_TARGET_KINDS, { error: "Choose what to suggest." }),
    targetValue: z.string().trim().min(1, "Say which SKU, category, collection or brand to suggest.").max(80),
    priority: z.number({ error: "Enter a priority from 0 to 100." }).int("Whole numbers only.").min(0, "From 0 to 100.").max(100, "From 0 to 100."),
    storeIds: z
      .array(z.number().int().positive())
      .max(100)
      .transform((ids) => (ids.length === 0 ? null : [...new Set(ids)].sort((a, b) => a - b))),
    activeFrom: day("Start date"),
    activeTo: day("End date"),
    message: z
      .string()
      .trim()
      .min(1, "Write what the assistant can say.")
      .max(200, "Keep the message under 200 characters.")
      .refine((m) => m.includes("{anchor}"), "Name the purchase: include {anchor} in the message."),
  })
  .transform((r) => ({ ...r, activeTo: r.activeTo === null ? null : r.activeTo + DAY_MS - 1 }))
  .superRefine((r, ctx) => {
    if (r.activeFrom !== null && r.activeTo !== null && r.activeTo < r.activeFrom)
      ctx.addIssue({ code: "custom", path: ["activeTo"], message: "The end date is before the start date." });
  });

export type RuleInput = z.output<typeof ruleInputSchema>;

/** Names that the catalogue does not know are typos: say so on the field rather than save a rule that never fires. */
export function checkRuleReferences(db: Db, input: RuleInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const exists = (kind: string, value: string) => {
    const where =
      kind === "sku"
        ? or(eq(products.sku, value), eq(products.style, value))
        : eq(kind === "category" ? products.category : kind === "collection" ? products.collection : products.brand, value);
    return db.select({ id: products.id }).from(products).where(where).limit(1).get() !== undefined;
  };
  const label = { sku: "SKU or style", category: "category", collection: "collection", brand: "brand" } as const;
  if (!exists(input.anchorKind, input.anchorValue)) errors.anchorValue = [`No product has the ${label[input.anchorKind]} "${input.anchorValue}".`];
  if (!exists(input.targetKind, input.targetValue)) errors.targetValue = [`No product has the ${label[input.targetKind]} "${input.targetValue}".`];
  if (input.storeIds) {
    const known = new Set(
      db
        .select({ id: stores.id })
        .from(stores)
        .all()
        .map((s) => s.id),
    );
    if (input.storeIds.some((id) => !known.has(id))) errors.storeIds = ["Choose stores from the list."];
  }
  return errors;
}

export function parseRuleInput(db: Db, raw: unknown): RuleInput {
  const input = parseOrThrow(ruleInputSchema, raw);
  const references = checkRuleReferences(db, input);
  if (Object.keys(references).length > 0) throw new DomainError("invalid_input", "Please check the highlighted fields.", references);
  return input;
}

export type RuleRow = SuggestionRule & { createdByName: string | null; updatedByName: string | null };

export function listRules(db: Db): RuleRow[] {
  const creator = alias(staff, "creator");
  const editor = alias(staff, "editor");
  return db
    .select({ rule: suggestionRules, createdByName: creator.name, updatedByName: editor.name })
    .from(suggestionRules)
    .leftJoin(creator, eq(creator.id, suggestionRules.createdBy))
    .leftJoin(editor, eq(editor.id, suggestionRules.updatedBy))
    .orderBy(desc(suggestionRules.updatedAt), desc(suggestionRules.id))
    .all()
    .map(({ rule, ...names }) => ({ ...rule, ...names }));
}

export function findRule(db: Db, id: number): SuggestionRule | null {
  return db.select().from(suggestionRules).where(eq(suggestionRules.id, id)).get() ?? null;
}

export function getRule(db: Db, id: number): SuggestionRule {
  const rule = findRule(db, id);
  if (!rule) throw new DomainError("not_found", "That rule no longer exists.");
  return rule;
}

export function definitionOf(rule: SuggestionRule | (RuleInput & { id: number | null })): RuleDefinition {
  const { id, name, anchorKind, anchorValue, withinDays, targetKind, targetValue, priority, storeIds, activeFrom, activeTo, message } = rule;
  return { id, name, anchorKind, anchorValue, withinDays, targetKind, targetValue, priority, storeIds, activeFrom, activeTo, message };
}

export function createRule(db: Db, input: RuleInput, staffId: number, now = Date.now()): SuggestionRule {
  return db
    .insert(suggestionRules)
    .values({ ...input, status: "draft", createdBy: staffId, createdAt: now, updatedBy: staffId, updatedAt: now })
    .returning()
    .get();
}

/** A rule as it was and as it is after a change, for the audit trail. */
type RuleChange = { before: SuggestionRule; after: SuggestionRule };

/**
 * Reads a rule, lets `change` check it and say what to set, and writes that stamped with who and
 * when (never at or before its last change, so an editor's version check always sees it moved).
 */
function changeRule(
  db: Db,
  id: number,
  staffId: number,
  now: number,
  change: (before: SuggestionRule) => Partial<typeof suggestionRules.$inferInsert>,
): RuleChange {
  return inTransaction(db, () => {
    const before = getRule(db, id);
    const after = db
      .update(suggestionRules)
      .set({ ...change(before), updatedBy: staffId, updatedAt: Math.max(now, before.updatedAt + 1) })
      .where(eq(suggestionRules.id, id))
      .returning()
      .get();
    return { before, after };
  });
}

/** `expectedUpdatedAt` is the version the editor loaded: a rule changed since is not overwritten. */
export function updateRule(db: Db, id: number, input: RuleInput, staffId: number, expectedUpdatedAt: number, now = Date.now()): RuleChange {
  return changeRule(db, id, staffId, now, (before) => {
    if (before.updatedAt !== expectedUpdatedAt) throw new DomainError("conflict");
    return input;
  });
}

export function duplicateRule(db: Db, id: number, staffId: number, now = Date.now()): SuggestionRule {
  const { id: _id, status: _status, createdAt: _c, createdBy: _cb, updatedAt: _u, updatedBy: _ub, ...copy } = getRule(db, id);
  return createRule(db, { ...copy, name: `Copy of ${copy.name}`.slice(0, 80) }, staffId, now);
}

export function setRuleStatus(db: Db, id: number, status: SuggestionRuleStatus, staffId: number, now = Date.now()): RuleChange {
  return changeRule(db, id, staffId, now, () => ({ status }));
}

/** Field values that differ, for the audit trail. */
export function ruleChanges(before: SuggestionRule, after: SuggestionRule): Record<string, { from: unknown; to: unknown }> {
  const fields = [
    "name",
    "anchorKind",
    "anchorValue",
    "withinDays",
    "targetKind",
    "targetValue",
    "priority",
    "storeIds",
    "activeFrom",
    "activeTo",
    "message",
    "status",
  ] as const;
  return Object.fromEntries(fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => [f, { from: before[f], to: after[f] }]));
}

export type CatalogueNames = { categories: string[]; collections: string[]; brands: string[] };

/** For the form's suggestions; the catalogue is small (thousands of SKUs), so three distinct scans are cheap. */
export function catalogueNames(db: Db): CatalogueNames {
  const distinct = (column: typeof products.category | typeof products.collection | typeof products.brand) =>
    db
      .selectDistinct({ v: column })
      .from(products)
      .orderBy(column)
      .all()
      .map((r) => r.v)
      .filter((v): v is string => v !== null);
  return { categories: distinct(products.category), collections: distinct(products.collection), brands: distinct(products.brand) };
}
