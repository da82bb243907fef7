import { createHash } from "node:crypto";
import { formatProbability } from "./probability";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  type MatchEvidence,
  followUps,
  identifiers,
  interactions,
  mergeEventRecords,
  mergeEvents,
  orders,
  profiles,
  reviewQueue,
  sourceCustomers,
  sources,
  stores,
} from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { latestCounterConsents, prepareCounterConsents } from "@/lib/customers/consent";
import { raw, rawParams, sourceOf } from "@/lib/ingest/common";
import { prepareInteractions } from "@/lib/ingest/interactions";
import { type StatsDelta, applyStatsDelta, prepareOrderStats, refreshStats } from "@/lib/ingest/order-stats";
import { prepareOrders } from "@/lib/ingest/orders";
import { isErased, isSuppressed } from "@/lib/privacy/suppression";
import { queueForReview } from "./duplicates";
import { type MatchModel, type RawMatchRecord, toMatchRecord } from "./match-model";
import { moveAssignments } from "./queries";
import { resolveRecord, storeBlockingKeys } from "./resolve";
import { type Identifier, type IdentitySettings, linkableIdentifiers, normalizeEmail, normalizeLoyaltyId, normalizePhone } from "./normalize";
import { type SourceInfo, loadIdentitySettings, loadMatchModel, loadSources } from "./settings";
import { GOLDEN_FIELDS, type SurvivorshipRecord, surviveFields } from "./survivorship";

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

export type IngestStatus = "inserted" | "updated" | "unchanged";

export type CustomerIngestResult = {
  status: IngestStatus;
  sourceRecordId: number;
  profileId: number;
  createdProfile: boolean;
  absorbedProfileIds: number[];
  /** Review-queue items this record raised (links not made automatically). */
  reviewItems: number;
};

type Prepared = ReturnType<typeof prepare>;

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
  stmts: Prepared;
  productIds: Map<string, number>;
  storeIds: Map<string, number>;
  now: () => number;
  /** Profiles whose golden fields or statistics wait for the end of withDeferredRefresh. */
  pending: PendingRefresh | null;
};

export function createIngestContext(db: Db, now: () => number = Date.now): IngestContext {
  return {
    db,
    settings: loadIdentitySettings(db),
    model: loadMatchModel(db),
    sources: loadSources(db),
    stmts: prepare(db),
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
  };
}

function prepare(db: Db) {
  const p = sql.placeholder;
  return {
    recordByKey: db
      .select({ id: sourceCustomers.id, profileId: sourceCustomers.profileId, payloadHash: sourceCustomers.payloadHash })
      .from(sourceCustomers)
      .where(and(eq(sourceCustomers.sourceId, p("sourceId")), eq(sourceCustomers.sourceCustomerId, p("sourceCustomerId"))))
      .prepare(),
    ownersOf: db
      .selectDistinct({ profileId: identifiers.profileId })
      .from(identifiers)
      .where(and(eq(identifiers.type, p("type")), eq(identifiers.value, p("value"))))
      .limit(p("limit"))
      .prepare(),
    reviewForIdentifier: db
      .select({ id: reviewQueue.id })
      .from(reviewQueue)
      .where(and(eq(reviewQueue.identifierType, p("type")), eq(reviewQueue.identifierValue, p("value")), eq(reviewQueue.kind, "over_shared_identifier")))
      .limit(1)
      .prepare(),
    insertReview: db
      .insert(reviewQueue)
      .values({
        kind: p("kind"),
        profileA: p("profileA"),
        profileB: p("profileB"),
        identifierType: p("type"),
        identifierValue: p("value"),
        reason: p("reason"),
        createdAt: p("now"),
      })
      .prepare(),
    insertProfile: db
      .insert(profiles)
      .values({ createdAt: p("now"), updatedAt: p("now") })
      .returning({ id: profiles.id })
      .prepare(),
    insertRecord: db
      .insert(sourceCustomers)
      .values({
        sourceId: p("sourceId"),
        sourceCustomerId: p("sourceCustomerId"),
        ...recordPlaceholders(),
        joinEvidence: raw("joinEvidence"),
        createdAt: p("now"),
      })
      .returning({ id: sourceCustomers.id })
      .prepare(),
    updateRecord: db
      .update(sourceCustomers)
      .set(recordPlaceholders())
      .where(eq(sourceCustomers.id, p("id")))
      .prepare(),
    identifiersOfRecord: db
      .delete(identifiers)
      .where(eq(identifiers.sourceRecordId, p("recordId")))
      .prepare(),
    insertIdentifier: db
      .insert(identifiers)
      .values({ type: p("type"), value: p("value"), profileId: p("profileId"), sourceRecordId: p("recordId"), createdAt: p("now") })
      .onConflictDoNothing()
      .prepare(),
    recordsOfProfile: db
      .select({
        id: sourceCustomers.id,
        source: sources.name,
        trustRank: sources.trustRank,
        sourceUpdatedAt: sourceCustomers.sourceUpdatedAt,
        consents: sourceCustomers.consents,
        firstName: sourceCustomers.firstName,
        lastName: sourceCustomers.lastName,
        email: sourceCustomers.email,
        phone: sourceCustomers.phone,
        loyaltyId: sourceCustomers.loyaltyId,
        birthDate: sourceCustomers.birthDate,
        city: sourceCustomers.city,
        postcode: sourceCustomers.postcode,
        tier: sourceCustomers.tier,
      })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(eq(sourceCustomers.profileId, p("profileId")))
      .prepare(),
    counterConsents: prepareCounterConsents(db),
    updateGolden: db
      .update(profiles)
      .set({
        ...rawParams(profiles, "firstName", "lastName", "email", "phone", "loyaltyId", "birthDate", "city", "postcode", "tier", "lineage", "consents"),
        updatedAt: raw("now"),
      })
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
    // The rows a person's profile owns, each moved to the survivor by one statement.
    moveOwnedRows: [sourceCustomers, identifiers, orders, interactions, followUps].map((table) =>
      db
        .update(table)
        .set({ profileId: raw("survivorId") })
        .where(eq(table.profileId, p("absorbedId")))
        .prepare(),
    ),
    redirectRedirects: db
      .update(profiles)
      .set({ mergedInto: raw("survivorId") })
      .where(eq(profiles.mergedInto, p("absorbedId")))
      .prepare(),
    redirectProfile: db
      .update(profiles)
      .set({ mergedInto: raw("survivorId"), updatedAt: raw("now") })
      .where(eq(profiles.id, p("absorbedId")))
      .prepare(),
    insertMergeEvent: db
      .insert(mergeEvents)
      .values({
        kind: "merge",
        survivorId: p("survivorId"),
        absorbedId: p("absorbedId"),
        cause: p("cause"),
        evidence: raw("evidence"),
        staffId: p("staffId"),
        at: p("now"),
      })
      .returning({ id: mergeEvents.id })
      .prepare(),
    // What the absorbed profile held, so that an unmerge can give exactly that back.
    snapshotAbsorbed: db
      .insert(mergeEventRecords)
      .select(
        db
          .select({ mergeEventId: sql<number>`${p("eventId")}`.as("merge_event_id"), sourceRecordId: sourceCustomers.id })
          .from(sourceCustomers)
          .where(eq(sourceCustomers.profileId, p("absorbedId"))),
      )
      .prepare(),
    // Orders and interactions keep their statements beside their code; all are prepared once per context.
    ...prepareOrderStats(db),
    ...prepareOrders(db),
    ...prepareInteractions(db),
  };
}

/** The columns of a source record that ingest writes, as named parameters. */
function recordPlaceholders() {
  return rawParams(
    sourceCustomers,
    "firstName",
    "lastName",
    "email",
    "phone",
    "loyaltyId",
    "birthDate",
    "address",
    "postcode",
    "city",
    "country",
    "tier",
    "consents",
    "payload",
    "payloadHash",
    "sourceUpdatedAt",
    "updatedAt",
    "profileId",
  );
}

function payloadHash(payload: string): string {
  return createHash("sha1").update(payload).digest("base64url");
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
  const payload = JSON.stringify(input.payload ?? input);
  const hash = payloadHash(payload);
  const existing = stmts.recordByKey.get({ sourceId: source.id, sourceCustomerId: input.sourceCustomerId });
  if (existing && existing.payloadHash === hash) {
    return { status: "unchanged", sourceRecordId: existing.id, profileId: existing.profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0 };
  }

  // An erased customer stays erased: their scrubbed record ignores re-sends, and a new record
  // carrying one of their former identifiers is refused (the import lists it among the rejects).
  if (existing && isErased(ctx.db, existing.profileId)) {
    return { status: "unchanged", sourceRecordId: existing.id, profileId: existing.profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0 };
  }
  const ids = linkableIdentifiers(input, settings);
  if (isSuppressed(ctx.db, ids)) {
    throw new DomainError("conflict", "This customer asked to be erased: a record with their email, phone or loyalty ID is not loaded again.");
  }
  const now = ctx.now();
  const current = existing?.profileId ?? null;
  const own = toMatchRecord({ id: existing?.id ?? -1, profileId: current ?? -1, ...input, birthDate: input.birthDate ?? null } as RawMatchRecord, settings);
  const resolution = resolveRecord(ctx, own, ids, current);
  let reviewItems = 0;
  for (const { id, profileId } of resolution.overShared) reviewItems += flagOverShared(ctx, id, profileId, now);
  const joined = [...(current === null ? [] : [current]), ...resolution.merge.map((c) => c.profileId)].sort((a, b) => a - b);
  const plan = { target: joined[0] ?? null, absorb: joined.slice(1) };
  let profileId = plan.target;
  const createdProfile = profileId === null;
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
  for (const candidate of resolution.review) reviewItems += queueForReview(ctx.db, profileId, candidate.profileId, candidate, now);
  if (ctx.pending) ctx.pending.golden.add(profileId);
  else refreshGolden(ctx, profileId);
  return { status: existing ? "updated" : "inserted", sourceRecordId, profileId, createdProfile, absorbedProfileIds: plan.absorb, reviewItems };
}

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
  const reason = `${id.type} ${id.value} is shared by more than ${ctx.settings.maxProfilesPerIdentifier} profiles, so it no longer links anyone`;
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
  email: (v: string) => normalizeEmail(v),
  phone: (v: string) => normalizePhone(v, settings.defaultCountry),
  loyaltyId: (v: string) => normalizeLoyaltyId(v, settings.loyalty),
});

export function refreshGolden(ctx: IngestContext, profileId: number): void {
  const records = ctx.stmts.recordsOfProfile.all({ profileId }) as SurvivorshipRecord[];
  const golden = surviveFields(records, goldenNormalisers(ctx.settings), latestCounterConsents(ctx.stmts.counterConsents.all({ profileId })));
  const values: Record<string, unknown> = { profileId, lineage: JSON.stringify(golden.lineage), consents: JSON.stringify(golden.consents), now: ctx.now() };
  for (const field of GOLDEN_FIELDS) values[field] = golden[field];
  ctx.stmts.updateGolden.run(values);
}
