import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { type Db, inTransaction } from "@/db/client";
import { IDENTIFIER_TYPES, type IdentifierType, profiles, sources } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { DEFAULT_DUPLICATE_OPTIONS, findPossibleDuplicates } from "@/lib/identity/duplicates";
import { createIngestContext, refreshGolden } from "@/lib/identity/ingest";
import { type IdentitySettings, normalizeEmail, normalizeLoyaltyId, normalizePhone } from "@/lib/identity/normalize";
import { countSourceRecords } from "@/lib/identity/queries";
import { saveIdentitySettings, storedIdentitySettings } from "@/lib/identity/settings";
import { forgetIdentitySettings } from "@/lib/identity/settings-cache";
import { countryCode } from "@/lib/stores/admin";

export type { IdentifierType };

const MAX_PROFILES_PER_IDENTIFIER_LIMIT = 50;
const MAX_TRUST_RANK = 1000;

export const identityFieldsSchema = z.object({
  defaultCountry: countryCode,
  maxProfilesPerIdentifier: z
    .number({ error: "Enter a number of profiles." })
    .int("Whole numbers only.")
    .min(2, "At least 2: an identifier owned by one profile is the normal case.")
    .max(MAX_PROFILES_PER_IDENTIFIER_LIMIT, `At most ${MAX_PROFILES_PER_IDENTIFIER_LIMIT}.`),
});

export const matchThresholdsSchema = z
  .object({
    automatic: z
      .number({ error: "Enter a probability." })
      .min(0.9, "At least 0.9: below that, strangers would be merged.")
      .max(0.999999, "Below 1: nothing is certain."),
    review: z.number({ error: "Enter a probability." }).min(0.05, "At least 0.05.").max(0.99, "At most 0.99."),
  })
  .refine((t) => t.review < t.automatic, { message: "The review threshold must be below the automatic one.", path: ["review"] });

export type ThresholdsPreview = { merges: number; reviewItems: number; splits: number; comparisons: number };

/**
 * The dry run is the nightly pass itself, every record in memory: on a chain's store (2.25 million
 * records: minutes and gigabytes) it would stall the process serving the tablets, so beyond this
 * many records it runs from the command line instead.
 */
export const PREVIEW_MAX_RECORDS = 100_000;

/** What the nightly pass would do on today's store with these thresholds: merges and new review items, nothing written. */
export function previewMatchThresholds(db: Db, thresholds: z.output<typeof matchThresholdsSchema>, maxRecords = PREVIEW_MAX_RECORDS): ThresholdsPreview {
  const records = countSourceRecords(db);
  if (records > maxRecords) {
    throw new DomainError(
      "conflict",
      `This store holds ${records.toLocaleString("en-GB")} customer records, too many to count here without slowing the tablets. ` +
        `On the server run: npm run identity:duplicates -- --dry-run --automatic ${thresholds.automatic} --review ${thresholds.review}`,
    );
  }
  const r = findPossibleDuplicates(db, { ...DEFAULT_DUPLICATE_OPTIONS, dryRun: true, thresholds });
  return { merges: r.merged, reviewItems: r.queued, splits: r.split, comparisons: r.comparisons };
}

export function saveMatchThresholds(db: Db, thresholds: z.output<typeof matchThresholdsSchema>): Changes {
  const before = storedIdentitySettings(db);
  save(db, { ...before, matchThresholds: thresholds });
  return { matchThresholds: { from: before.matchThresholds, to: thresholds } };
}

export const blockedValueSchema = z.object({
  type: z.enum(IDENTIFIER_TYPES, { error: "Choose email, phone or loyalty ID." }),
  value: z.string().trim().min(1, "Enter the value to block.").max(200, "Longer than 200 characters: no email, phone or loyalty ID is that long."),
});

type Changes = Record<string, { from: unknown; to: unknown }>;

/** Saves and drops the cached copy, so the next lookup or import in this process reads the new settings. */
function save(db: Db, value: IdentitySettings): void {
  saveIdentitySettings(db, value);
  forgetIdentitySettings();
}

export function saveIdentityFields(db: Db, input: z.output<typeof identityFieldsSchema>): Changes {
  const before = storedIdentitySettings(db);
  save(db, { ...before, ...input });
  const changes: Changes = {};
  for (const key of Object.keys(input) as (keyof typeof input)[]) if (before[key] !== input[key]) changes[key] = { from: before[key], to: input[key] };
  return changes;
}

const LABELS: Record<IdentifierType, string> = { email: "email address", phone: "phone number", loyalty: "loyalty ID" };

/** The value as identifiers store it, so a block typed "07700 900000" matches "+447700900000" on every record. */
function normaliseBlockedValue(settings: IdentitySettings, type: IdentifierType, raw: string): string {
  const value =
    type === "email" ? normalizeEmail(raw) : type === "phone" ? normalizePhone(raw, settings.defaultCountry) : normalizeLoyaltyId(raw, settings.loyalty);
  if (!value) throw new DomainError("invalid_input", `That is not a valid ${LABELS[type]}.`, { value: [`That is not a valid ${LABELS[type]}.`] });
  return value;
}

export function addBlockedValue(db: Db, type: IdentifierType, raw: string): { value: string; added: boolean } {
  const settings = storedIdentitySettings(db);
  const value = normaliseBlockedValue(settings, type, raw);
  if (settings.blocked[type].includes(value)) return { value, added: false };
  save(db, { ...settings, blocked: { ...settings.blocked, [type]: [...settings.blocked[type], value].sort() } });
  return { value, added: true };
}

export function removeBlockedValue(db: Db, type: IdentifierType, value: string): { removed: boolean } {
  const settings = storedIdentitySettings(db);
  if (!settings.blocked[type].includes(value)) return { removed: false };
  save(db, { ...settings, blocked: { ...settings.blocked, [type]: settings.blocked[type].filter((v) => v !== value) } });
  return { removed: true };
}

export type SourceRow = { id: number; name: string; label: string; trustRank: number };

/** Most trusted first: the order survivorship reads them in. */
export function listSources(db: Db): SourceRow[] {
  return db
    .select({ id: sources.id, name: sources.name, label: sources.label, trustRank: sources.trustRank })
    .from(sources)
    .orderBy(asc(sources.trustRank), asc(sources.name))
    .all();
}

export const sourceChangeSchema = z.object({
  sourceId: z.number().int().positive(),
  label: z.string().trim().min(1, "Enter the name staff know it by.").max(60, "Keep the name under 60 characters."),
  trustRank: z.number({ error: "Enter a trust rank." }).int("Whole numbers only.").min(1, "From 1 to 1000.").max(MAX_TRUST_RANK, "From 1 to 1000."),
});

export function updateSource(db: Db, input: z.output<typeof sourceChangeSchema>): { name: string; changes: Changes } {
  const before = db.select().from(sources).where(eq(sources.id, input.sourceId)).get();
  if (!before) throw new DomainError("unknown_source");
  db.update(sources).set({ label: input.label, trustRank: input.trustRank }).where(eq(sources.id, input.sourceId)).run();
  const changes: Changes = {};
  if (before.label !== input.label) changes.label = { from: before.label, to: input.label };
  if (before.trustRank !== input.trustRank) changes.trustRank = { from: before.trustRank, to: input.trustRank };
  return { name: before.name, changes };
}

const RANK_STEP = 10;

/** Renumbers every source 10, 20, 30… in the order given (most trusted first). */
export function reorderSources(db: Db, orderedIds: number[]): { before: Record<string, number>; after: Record<string, number> } {
  return inTransaction(db, () => {
    const all = listSources(db);
    const known = new Set(all.map((s) => s.id));
    if (orderedIds.length !== all.length || new Set(orderedIds).size !== all.length || orderedIds.some((id) => !known.has(id))) {
      throw new DomainError("conflict", "The list of sources has changed. Reload and try again.");
    }
    const nameOf = new Map(all.map((s) => [s.id, s.name]));
    const after: Record<string, number> = {};
    orderedIds.forEach((id, i) => {
      const trustRank = (i + 1) * RANK_STEP;
      db.update(sources).set({ trustRank }).where(eq(sources.id, id)).run();
      after[nameOf.get(id)!] = trustRank;
    });
    return { before: Object.fromEntries(all.map((s) => [s.name, s.trustRank])), after };
  });
}

const RECOMPUTE_BATCH = 500;

/**
 * Re-runs survivorship for the next batch of live profiles after `afterId`, so a new trust order
 * reaches existing golden profiles. Called repeatedly by the page, which shows the progress.
 */
export function recomputeGoldenBatch(
  db: Db,
  afterId: number,
  batch = RECOMPUTE_BATCH,
): { lastId: number; processed: number; remaining: number; done: boolean } {
  const live = isNull(profiles.mergedInto);
  const ids = db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(live, gt(profiles.id, afterId)))
    .orderBy(asc(profiles.id))
    .limit(batch)
    .all()
    .map((p) => p.id);
  const ctx = createIngestContext(db);
  inTransaction(db, () => ids.forEach((id) => refreshGolden(ctx, id)));
  const lastId = ids.at(-1) ?? afterId;
  const remaining = db
    .select({ n: count() })
    .from(profiles)
    .where(and(live, gt(profiles.id, lastId)))
    .get()!.n;
  return { lastId, processed: ids.length, remaining, done: remaining === 0 };
}
