import { formatProbability } from "./probability";
import type { Db } from "@/db/client";
import { type MatchEvidence, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { latestCounterConsents } from "@/lib/customers/consent";
import { sourceOf } from "@/lib/ingest/common";
import { type StatsDelta, applyStatsDelta, refreshStats } from "@/lib/ingest/order-stats";
import { isErased, isSuppressed } from "@/lib/privacy/suppression";
import { leftAlone, queueForReview } from "./duplicates";
import { type IngestStatements, prepareIngestStatements } from "./ingest-statements";
import {
  type MatchModel,
  type MatchRecord,
  type RawMatchRecord,
  evidenceOf,
  priorWeight,
  probabilityOf,
  scoreProfiles,
  toMatchRecord,
  unlikeFirstNames,
} from "./match-model";
import { splitRecords } from "./merge";
import { isBirthDate } from "./link";
import { payloadOf } from "./payload";
import { moveAssignments, ownersOfIdentifier } from "./queries";
import { recordsOfProfile, resolveRecord, storeBlockingKeys, withoutValues } from "./resolve";
import {
  type Identifier,
  type IdentitySettings,
  linkableIdentifiers,
  normalizeEmail,
  normalizeLoyaltyId,
  normalizePhone,
  overSharedReason,
  unusableValues,
} from "./normalize";
import { type SourceInfo, loadIdentitySettings, loadMatchModel, loadSources } from "./settings";
import { GOLDEN_FIELDS, type Golden, type SurvivorshipRecord, surviveFields } from "./survivorship";

export type CustomerRecordInput = {
  source: string;
  sourceCustomerId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  loyaltyId?: string | null;
  birthDate?: string | null;
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
  country?: string | null;
  tier?: string | null;
  consents?: Record<string, boolean> | null;
  /** When the source last changed this customer (epoch ms); drives survivorship recency. */
  updatedAt?: number;
  /** The record exactly as the source sent it; defaults to the input itself. */
  payload?: unknown;
};

/** What a customer can be found and matched by: fields that know them by any letter or digit, and those only when the value is one the store can use. */
const KNOWN_BY_TEXT = ["firstName", "lastName", "address", "postcode"] as const;
const KNOWN_BY_VALUE = ["email", "phone", "loyaltyId", "birthDate"] as const;
/** What shows as nothing or as no letter: spaces, marks, invisible and ignorable characters (a Hangul filler is a "letter" that shows as nothing). */
const SHOWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\p{M}\p{C}\p{Z}\s]/gu;
const showsSomething = (value: string | null | undefined) => /[\p{L}\p{N}]/u.test((value ?? "").replace(SHOWS_NOTHING, ""));

/**
 * Whether a new record holds a letter or digit in any field the customer can be known by, an email,
 * phone, loyalty ID or birth date counting only where the store can use it (not an email that is
 * not one, a blocked placeholder, a loyalty ID of no programme): a record of nothing but those would
 * make a profile no one can find.
 */
export function knowsTheCustomer(input: CustomerRecordInput, settings: IdentitySettings): boolean {
  if (KNOWN_BY_TEXT.some((field) => showsSomething(input[field]))) return true;
  const unusable = new Set(unusableValues(input, settings).map((u) => u.field));
  return KNOWN_BY_VALUE.some((field) => !unusable.has(field) && showsSomething(input[field]));
}

export const KNOWS_NOTHING = "holds nothing to know the customer by: a new customer needs at least a name, email, phone, loyalty ID, birth date or address";

export type IngestStatus = "inserted" | "updated" | "unchanged";

export type CustomerIngestResult = {
  status: IngestStatus;
  sourceRecordId: number;
  profileId: number;
  createdProfile: boolean;
  absorbedProfileIds: number[];
  /** Review-queue items this record raised (links not made automatically). */
  reviewItems: number;
  /** Sent with an `updatedAt` before the stored version's: a late retry, not applied. */
  staleAgainst?: number;
};

type PendingRefresh = {
  golden: Set<number>;
  /** Recomputed from all their orders: merged profiles and re-sent orders. */
  stats: Set<number>;
  /** New orders only: added to the stored figures. */
  statsDeltas: Map<number, StatsDelta>;
};

/** Settings, sources and lookups that stay fixed during a batch; build once per import or request. */
export type IngestContext = {
  db: Db;
  settings: IdentitySettings;
  model: MatchModel;
  sources: Map<string, SourceInfo>;
  stmts: IngestStatements;
  productIds: Map<string, number>;
  storeIds: Map<string, number>;
  now: () => number;
  /** Profiles whose golden fields or statistics wait for the end of withDeferredRefresh. */
  pending: PendingRefresh | null;
  /** Records that joined a profile in this load, or came again unchanged: their profiles get the split check at its end (settleJoins). */
  joins: number[];
};

export function createIngestContext(db: Db, now: () => number = Date.now): IngestContext {
  return {
    db,
    settings: loadIdentitySettings(db),
    model: loadMatchModel(db),
    sources: loadSources(db),
    stmts: prepareIngestStatements(db),
    productIds: new Map(),
    storeIds: new Map(
      db
        .select({ code: stores.code, id: stores.id })
        .from(stores)
        .all()
        .map((s) => [s.code, s.id]),
    ),
    now,
    pending: null,
    joins: [],
  };
}

/**
 * Adds or updates one source record and resolves it (resolve.ts): it joins the profiles the match
 * model finds it is, at or above the automatic threshold and without a guard-rail conflict, merging
 * them if it bridges several; likely ones below that go to the review queue; otherwise it gets a
 * profile of its own. An identifier owned by more than maxProfilesPerIdentifier profiles is flagged
 * and weighs nothing. Call inside a transaction.
 */
export function ingestCustomerRecord(ctx: IngestContext, input: CustomerRecordInput): CustomerIngestResult {
  const { stmts, settings } = ctx;
  const source = sourceOf(ctx, input.source);
  const { payload, hash } = payloadOf(input);
  const existing = stmts.recordByKey.get({ sourceId: source.id, sourceCustomerId: input.sourceCustomerId });
  if (existing && existing.payloadHash === hash) {
    // Checked again with the load's joins: a load run again after a crash still splits what the first run would have.
    ctx.joins.push(existing.id);
    return { status: "unchanged", sourceRecordId: existing.id, profileId: existing.profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0 };
  }

  // A retry or replay arriving after a newer version would bring back details and consents the
  // customer has since changed (an email consent withdrawn): the newer version stands. Only a date
  // the source sent counts: a version sent without one holds the time it arrived (sourceUpdatedAt =
  // updatedAt), which says nothing of when it changed at the source.
  const sourceDated = existing !== undefined && existing.sourceUpdatedAt !== existing.updatedAt;
  if (existing && sourceDated && input.updatedAt !== undefined && input.updatedAt < existing.sourceUpdatedAt) {
    const { id: sourceRecordId, profileId, sourceUpdatedAt: staleAgainst } = existing;
    return { status: "unchanged", sourceRecordId, profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0, staleAgainst };
  }

  // An erased customer stays erased: their scrubbed record ignores re-sends, and a new record
  // carrying one of their former identifiers is refused (the import lists it among the rejects).
  if (existing && isErased(ctx.db, existing.profileId)) {
    return { status: "unchanged", sourceRecordId: existing.id, profileId: existing.profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0 };
  }
  if (!existing && !knowsTheCustomer(input, settings)) throw new DomainError("invalid_input", KNOWS_NOTHING);
  const ids = linkableIdentifiers(input, settings);
  if (isSuppressed(ctx.db, ids)) {
    throw new DomainError("conflict", "This customer asked to be erased: a record with their email, phone or loyalty ID is not loaded again.");
  }
  const now = ctx.now();
  let current = existing?.profileId ?? null;
  const own = toMatchRecord(
    { id: existing?.id ?? -1, profileId: current ?? -1, sourceId: source.id, ...input, birthDate: input.birthDate ?? null } as RawMatchRecord,
    settings,
  );
  const left = existing && current !== null ? leaveIfSomeoneElse(ctx, own, ids, current, `${input.source} record ${input.sourceCustomerId}`, now) : null;
  if (left !== null) own.profileId = current = left;
  const resolution = resolveRecord(ctx, own, ids, current);
  let reviewItems = 0;
  for (const { id, profileId } of resolution.overShared) reviewItems += flagOverShared(ctx, id, profileId, now);
  const joined = [...(current === null ? [] : [current]), ...resolution.merge.map((c) => c.profileId)].sort((a, b) => a - b);
  const plan = { target: joined[0] ?? null, absorb: joined.slice(1) };
  let profileId = plan.target;
  const createdProfile = profileId === null || (left !== null && profileId === left);
  if (profileId === null) profileId = stmts.insertProfile.get({ now })!.id;

  const fields = {
    ...recordFields(input),
    consents: input.consents ? JSON.stringify(input.consents) : null,
    payload,
    payloadHash: hash,
    sourceUpdatedAt: input.updatedAt ?? now,
    updatedAt: now,
    profileId,
  };
  // Merges first: a re-sent record that moves still sits in its old profile, so the merge's
  // snapshot holds it and an unmerge gives it back.
  const evidence = new Map(resolution.merge.map((c) => [c.profileId, c.evidence]));
  for (const absorbed of plan.absorb) {
    // The record's own profile is folded in on the best candidate's evidence.
    const why = evidence.get(absorbed) ?? resolution.merge[0]?.evidence ?? null;
    const cause = `match model via ${input.source} record ${input.sourceCustomerId}${why ? ` (${formatProbability(why.probability)})` : ""}`;
    mergeProfiles(ctx, profileId, absorbed, { cause, staffId: null, evidence: why });
  }
  let sourceRecordId: number;
  if (existing) {
    sourceRecordId = existing.id;
    stmts.updateRecord.run({ ...fields, id: existing.id });
    stmts.identifiersOfRecord.run({ recordId: existing.id });
  } else {
    // A new record that joins a profile leaves no merge event: its own evidence says why it is there.
    const joinedBy = profileId === plan.target ? evidence.get(profileId) : undefined;
    const joinEvidence = joinedBy ? JSON.stringify(joinedBy) : null;
    sourceRecordId = stmts.insertRecord.get({ sourceId: source.id, sourceCustomerId: input.sourceCustomerId, ...fields, joinEvidence, now })!.id;
  }
  for (const id of ids) stmts.insertIdentifier.run({ type: id.type, value: id.value, profileId, recordId: sourceRecordId, now });
  storeBlockingKeys(ctx.db, { ...own, id: sourceRecordId });
  if (resolution.merge.length > 0) ctx.joins.push(sourceRecordId);
  for (const candidate of resolution.review) reviewItems += queueForReview(ctx.db, profileId, candidate.profileId, candidate, now);
  if (ctx.pending) ctx.pending.golden.add(profileId);
  else refreshGolden(ctx, profileId);
  return { status: existing ? "updated" : "inserted", sourceRecordId, profileId, createdProfile, absorbedProfileIds: plan.absorb, reviewItems };
}

/**
 * Fields whose change to another value can make a record someone else's; a value added or blanked
 * cannot, and nor can a new name alone: sources correct names, and people change them (marriage).
 * The names are weighed once one of these has changed.
 */
const IDENTITY_FIELDS = ["birth", "email", "phone", "postcode", "loyalty"] as const;

/**
 * A record sent again with other details (a source that re-used a customer ID for someone else)
 * may no longer be the customer it joined. When a birth date, email, phone, postcode or card
 * changed to another value, the record moves out to a profile of its own, before it is resolved like
 * a new record, when it now names someone else: another first name with another birth date, email or
 * phone; or when neither the record as it read before (on a re-send's prior) nor the customer's other
 * records (on the store's) find it even possibly them. The customer keeps their ID, notes, and the orders
 * and visits sent under the old details (no longer tied to the record, which is now someone else's),
 * and the new details never open them at the counter. A change that leaves the record likely but
 * not sure (a phone a digit off) is the nightly pass's to weigh; a profile a person merged or split
 * is theirs (leftAlone). Returns the new profile, or null.
 */
function leaveIfSomeoneElse(ctx: IngestContext, own: MatchRecord, ids: Identifier[], profileId: number, record: string, now: number): number | null {
  const held = recordsOfProfile(ctx.db, ctx.settings, profileId);
  const before = held.find((r) => r.id === own.id);
  const changed = (f: (typeof IDENTITY_FIELDS)[number]) => own[f] !== "" && before![f] !== "" && own[f] !== before![f];
  if (!before || !IDENTITY_FIELDS.some(changed)) return null;
  const { model, settings } = ctx;
  // A shop's phone on both sides says nothing of who the record is now, as in resolution.
  const cap = settings.maxProfilesPerIdentifier;
  const neutral = ids.filter((id) => ownersOfIdentifier(ctx.db, id.type, id.value, cap + 1).length > cap);
  const mine = withoutValues(own, neutral);
  const was = withoutValues(before, neutral);
  const all = scoreProfiles(
    model,
    [mine],
    held.map((r) => (r.id === own.id ? was : withoutValues(r, neutral))),
  )!;
  // Another first name with another birth date, email or phone is another person on the ID (a
  // household's: the surname, the address and the postcode stay), whatever those shared fields weigh.
  const someoneElse = unlikeFirstNames(mine, was) && (changed("birth") || changed("email") || changed("phone"));
  if (!someoneElse) {
    // Otherwise the record as it read before vouches on a re-send's prior (the same ID is the same
    // customer far more often than two random records are), so a new email and phone alone never
    // move a customer; and the customer's other records vouch on the store's own prior.
    const self = scoreProfiles(model, [mine], [was])!;
    if (probabilityOf(self.best.weight - priorWeight(model) + RESENT_PRIOR_WEIGHT) >= settings.matchThresholds.review) return null;
    if (all.best.probability >= settings.matchThresholds.review) return null;
  }
  if (leftAlone(ctx.db, profileId)) return null;
  const cause = `${record} changed: no longer this customer (${formatProbability(all.best.probability)})`;
  return splitRecords(ctx.db, profileId, [own.id], { staffId: null, cause }, now, { evidence: evidenceOf(model, all.best), keepApart: false, history: "stays" })
    .newProfileId;
}

/** A source re-uses a customer's ID for someone else seldom: at most one re-send in a hundred, so odds of 99 to 1 on the same person. */
const RESENT_PRIOR_WEIGHT = Math.log2(99);

/** The record's own columns as the source sent them (absent: null), in the table's order. */
export function recordFields(input: CustomerRecordInput) {
  return {
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    loyaltyId: input.loyaltyId ?? null,
    birthDate: input.birthDate ?? null,
    address: input.address ?? null,
    postcode: input.postcode ?? null,
    city: input.city ?? null,
    country: input.country ?? null,
    tier: input.tier ?? null,
  };
}

function flagOverShared(ctx: IngestContext, id: Identifier, profileA: number, now: number): number {
  if (ctx.stmts.reviewForIdentifier.get({ type: id.type, value: id.value })) return 0;
  const reason = overSharedReason(id, ctx.settings);
  ctx.stmts.insertReview.run({ kind: "over_shared_identifier", profileA, profileB: null, type: id.type, value: id.value, reason, now });
  return 1;
}

/** Folds `absorbedId` into `survivorId`: everything it owned moves, and its ID becomes a redirect. */
export function mergeProfiles(
  ctx: IngestContext,
  survivorId: number,
  absorbedId: number,
  by: { cause: string; staffId: number | null; evidence?: MatchEvidence | null },
): void {
  const { stmts, pending } = ctx;
  if (pending) {
    // The absorbed profile keeps the golden fields and statistics it had before the merge, as without deferral.
    if (pending.golden.delete(absorbedId)) refreshGolden(ctx, absorbedId);
    if (pending.stats.delete(absorbedId)) {
      pending.statsDeltas.delete(absorbedId);
      stmts.refreshStats.run({ profileId: absorbedId });
    } else applyStatsDelta(ctx, absorbedId);
  }
  const ids = { survivorId, absorbedId };
  const event = stmts.insertMergeEvent.get({
    ...ids,
    cause: by.cause,
    evidence: by.evidence ? JSON.stringify(by.evidence) : null,
    staffId: by.staffId,
    now: ctx.now(),
  })!;
  stmts.snapshotAbsorbed.run({ eventId: event.id, absorbedId });
  moveProfileRows(ctx, survivorId, absorbedId);
  refreshStats(ctx, survivorId);
}

/** What a merge moves from the absorbed profile to the survivor, and the absorbed profile made a redirect. */
export function moveProfileRows(ctx: IngestContext, survivorId: number, absorbedId: number): void {
  const { stmts } = ctx;
  const ids = { survivorId, absorbedId };
  for (const move of stmts.moveOwnedRows) move.run(ids);
  moveAssignments(ctx.db, ids);
  // Earlier redirects to the absorbed profile now point straight at the survivor: one hop, always.
  stmts.redirectRedirects.run(ids);
  stmts.redirectProfile.run({ ...ids, now: ctx.now() });
}

/**
 * Runs fn (a bulk load, inside one transaction) with the golden-field and statistics refreshes it
 * causes applied once per profile at the end instead of after every record and order. Results
 * returned inside fn are the same; only the profiles rows lag until fn returns.
 */
export function withDeferredRefresh<T>(ctx: IngestContext, fn: () => T): T {
  if (ctx.pending) return fn();
  const pending: PendingRefresh = { golden: new Set(), stats: new Set(), statsDeltas: new Map() };
  ctx.pending = pending;
  let result: T;
  try {
    result = fn();
  } finally {
    ctx.pending = null;
  }
  for (const profileId of pending.golden) refreshGolden(ctx, profileId);
  for (const profileId of pending.stats) ctx.stmts.refreshStats.run({ profileId });
  for (const [profileId, delta] of pending.statsDeltas) if (!pending.stats.has(profileId)) ctx.stmts.addToStats.run({ profileId, ...delta });
  return result;
}

export const goldenNormalisers = (settings: IdentitySettings) => ({
  // A placeholder ("1900-01-01", "unknown") or a day that does not exist is no birth date to show.
  birthDate: (v: string) => (isBirthDate(v) ? v.trim() : null),
  email: (v: string) => normalizeEmail(v),
  phone: (v: string) => normalizePhone(v, settings.defaultCountry),
  loyaltyId: (v: string) => normalizeLoyaltyId(v, settings.loyalty),
});

export function refreshGolden(ctx: IngestContext, profileId: number): void {
  const records = ctx.stmts.recordsOfProfile.all({ profileId }) as SurvivorshipRecord[];
  // A customer whose only record a source gave to someone else is still who they were to staff.
  if (records.length === 0) return;
  writeGolden(ctx, profileId, surviveFields(records, goldenNormalisers(ctx.settings), counterConsentsOf(ctx, profileId)));
}

/** What staff recorded at the counter for the profile, latest per channel: survivorship weighs it against the sources'. */
export const counterConsentsOf = (ctx: IngestContext, profileId: number) => latestCounterConsents(ctx.stmts.counterConsents.all({ profileId }));

export function writeGolden(ctx: IngestContext, profileId: number, golden: Golden): void {
  const values: Record<string, unknown> = { profileId, lineage: JSON.stringify(golden.lineage), consents: JSON.stringify(golden.consents), now: ctx.now() };
  for (const field of GOLDEN_FIELDS) values[field] = golden[field];
  ctx.stmts.updateGolden.run(values);
}
