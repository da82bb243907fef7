import { createHash } from "node:crypto";
import { count, eq, inArray, or } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { type Db, inTransaction } from "@/db/client";
import { checkpoint } from "@/db/maintenance";
import {
  consentEvents,
  customerAssignments,
  erasures,
  followUps,
  identifiers,
  matchKeys,
  interactions,
  mergeEvents,
  notes,
  orders,
  preferences,
  products,
  profileTags,
  profiles,
  reviewQueue,
  sourceCustomers,
  sources,
  storeCustomerPurchases,
  storeCustomerStats,
  stores,
  suggestionEvents,
} from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { writeAudit } from "@/lib/audit/audit";
import { displayName } from "@/lib/customers/display";
import { linesOfOrders, resolveProfileId } from "@/lib/customers/profile";
import { DomainError } from "@/lib/errors";
import { linkableIdentifiers } from "@/lib/identity/normalize";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { suppressIdentifiers } from "./suppression";

/** A live profile and the merged-away profiles that redirect to it (always one hop): one person's rows. */
function subjectProfileIds(db: Db, profileId: number): { profileId: number; ids: number[] } {
  const resolved = resolveProfileId(db, profileId);
  if (resolved.kind === "missing") throw new DomainError("not_found", `There is no customer with profile ID ${profileId}.`);
  const live = resolved.profileId;
  const absorbed = db.select({ id: profiles.id }).from(profiles).where(eq(profiles.mergedInto, live)).all();
  return { profileId: live, ids: [live, ...absorbed.map((p) => p.id)] };
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/**
 * Everything the chain holds about one customer (a data subject access request), as plain JSON:
 * the golden profile with its lineage, every source record as the source sent it, and all that
 * hangs off the profile. Staff are named by ID only: the export is about the customer.
 */
export function exportSubject(db: Db, profileId: number) {
  const { profileId: id, ids } = subjectProfileIds(db, profileId);
  const byProfile = (column: AnySQLiteColumn) => inArray(column, ids);
  const profileRows = db.select().from(profiles).where(byProfile(profiles.id)).all();
  const orderRows = db
    .select({ ...columnsOf(orders, "id", "externalId", "channel", "placedAt", "total", "profileId"), source: sources.name, store: stores.name })
    .from(orders)
    .innerJoin(sources, eq(sources.id, orders.sourceId))
    .leftJoin(stores, eq(stores.id, orders.storeId))
    .where(byProfile(orders.profileId))
    .orderBy(orders.placedAt)
    .all();
  const lines = linesOfOrders(
    db,
    orderRows.map((o) => o.id),
  );
  const erasure = db.select().from(erasures).where(eq(erasures.profileId, id)).get() ?? null;
  return {
    exportedAt: new Date().toISOString(),
    profileId: id,
    erased: erasure ? { at: new Date(erasure.at).toISOString() } : null,
    profile: profileRows.find((p) => p.id === id)!,
    mergedProfiles: profileRows.filter((p) => p.id !== id),
    sourceRecords: db
      .select({
        id: sourceCustomers.id,
        source: sources.name,
        sourceLabel: sources.label,
        sourceCustomerId: sourceCustomers.sourceCustomerId,
        record: sourceCustomers,
      })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(byProfile(sourceCustomers.profileId))
      .all()
      .map(({ record: { payload, payloadHash: _hash, ...record }, ...r }) => ({ ...r, ...record, payload: parsePayload(payload) })),
    identifiers: db
      .select({ type: identifiers.type, value: identifiers.value, sourceRecordId: identifiers.sourceRecordId })
      .from(identifiers)
      .where(byProfile(identifiers.profileId))
      .all(),
    orders: orderRows.map((o) => ({ ...o, lines: lines.get(o.id) ?? [] })),
    interactions: db
      .select({ id: interactions.id, kind: interactions.kind, sku: products.sku, storeId: interactions.storeId, at: interactions.at })
      .from(interactions)
      .leftJoin(products, eq(products.id, interactions.productId))
      .where(byProfile(interactions.profileId))
      .all(),
    notes: db.select().from(notes).where(byProfile(notes.profileId)).all(),
    preferences: db.select().from(preferences).where(byProfile(preferences.profileId)).all(),
    tags: db.select().from(profileTags).where(byProfile(profileTags.profileId)).all(),
    consentEvents: db.select().from(consentEvents).where(byProfile(consentEvents.profileId)).all(),
    suggestionEvents: db.select().from(suggestionEvents).where(byProfile(suggestionEvents.profileId)).all(),
    mergeHistory: db
      .select()
      .from(mergeEvents)
      .where(or(inArray(mergeEvents.survivorId, ids), inArray(mergeEvents.absorbedId, ids)))
      .all(),
    reviewQueue: db
      .select()
      .from(reviewQueue)
      .where(or(inArray(reviewQueue.profileA, ids), inArray(reviewQueue.profileB, ids)))
      .all(),
    assignments: db.select().from(customerAssignments).where(byProfile(customerAssignments.profileId)).all(),
    followUps: db.select().from(followUps).where(byProfile(followUps.profileId)).all(),
    storeFigures: {
      perStore: db.select().from(storeCustomerStats).where(byProfile(storeCustomerStats.profileId)).all(),
      boughtHere: db.select().from(storeCustomerPurchases).where(byProfile(storeCustomerPurchases.profileId)).all(),
    },
  };
}

/** For the privacy page: who this is and how much the chain holds, without the rows themselves. */
export function subjectSummary(db: Db, profileId: number) {
  const e = exportSubject(db, profileId);
  return {
    profileId: e.profileId,
    name: e.erased ? "Erased customer" : displayName(e.profile),
    loyaltyId: e.profile.loyaltyId,
    city: e.profile.city,
    erasedAt: e.erased?.at ?? null,
    counts: {
      "Merged-away profiles": e.mergedProfiles.length,
      "Source records": e.sourceRecords.length,
      Identifiers: e.identifiers.length,
      Orders: e.orders.length,
      "Browsing and visits": e.interactions.length,
      Notes: e.notes.length,
      Preferences: e.preferences.length,
      Tags: e.tags.length,
      "Consent statements": e.consentEvents.length,
      "Suggestions shown": e.suggestionEvents.length,
      "Review queue items": e.reviewQueue.length,
      "Client book entries": e.assignments.length,
    },
  };
}

export type SubjectSummary = ReturnType<typeof subjectSummary>;

/** The personal fields a profile and a source record share, emptied by an erasure. */
const PERSONAL_FIELDS_CLEARED = {
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  loyaltyId: null,
  birthDate: null,
  postcode: null,
  city: null,
  tier: null,
  consents: null,
} as const;

const SCRUBBED_PAYLOAD = JSON.stringify({ erased: true });
const SCRUBBED_HASH = createHash("sha1").update(SCRUBBED_PAYLOAD).digest("base64url");

export type ErasureCounts = {
  profiles: number;
  sourceRecords: number;
  identifiers: number;
  suppressed: number;
  notes: number;
  preferences: number;
  tags: number;
  consentEvents: number;
  assignments: number;
  followUps: number;
  reviewItems: number;
  ordersKept: number;
};

/**
 * The right to erasure. In one transaction: every identifier and personal field goes from the
 * golden profile, the merged-away profiles and every source record (raw payload included), with
 * notes, preferences, tags, consent statements, client-book entries and review items. The profile
 * row stays, marked erased, holding its orders, browsing and suggestion outcomes so sales and
 * product statistics still add up; nothing left names the person. The name index follows the
 * profile rows through its triggers. The audit row says who, when, which profile and how many rows.
 */
export function eraseSubject(
  db: Db,
  profileId: number,
  by: { staffId: number; storeId: number | null },
  now = Date.now(),
): { profileId: number; counts: ErasureCounts } {
  const erased = inTransaction(db, () => {
    const { profileId: id, ids } = subjectProfileIds(db, profileId);
    if (db.select({ profileId: erasures.profileId }).from(erasures).where(eq(erasures.profileId, id)).get()) {
      throw new DomainError("conflict", "This customer has already been erased.");
    }
    const held = db.selectDistinct({ type: identifiers.type, value: identifiers.value }).from(identifiers).where(inArray(identifiers.profileId, ids)).all();
    // And those the profile shows: a customer whose only record a source gave to someone else holds
    // her details on the profile alone.
    const settings = loadIdentitySettings(db);
    const shown = db
      .select({ email: profiles.email, phone: profiles.phone, loyaltyId: profiles.loyaltyId })
      .from(profiles)
      .where(inArray(profiles.id, ids))
      .all()
      .flatMap((p) => linkableIdentifiers(p, settings));
    const known = [...new Map([...held, ...shown].map((k) => [`${k.type}:${k.value}`, k])).values()];
    const suppressed = suppressIdentifiers(db, known, now);
    const values = known.map((k) => k.value);
    const reviewItems = db
      .delete(reviewQueue)
      .where(
        or(inArray(reviewQueue.profileA, ids), inArray(reviewQueue.profileB, ids), values.length ? inArray(reviewQueue.identifierValue, values) : undefined),
      )
      .run().changes;
    // The duplicate finder's blocking keys are built from her birth date, postcode, names and email.
    db.delete(matchKeys)
      .where(inArray(matchKeys.sourceRecordId, db.select({ id: sourceCustomers.id }).from(sourceCustomers).where(inArray(sourceCustomers.profileId, ids))))
      .run();
    // The match model's evidence on her merges quotes her names and city.
    db.update(mergeEvents)
      .set({ evidence: null })
      .where(or(inArray(mergeEvents.survivorId, ids), inArray(mergeEvents.absorbedId, ids)))
      .run();
    const counts: ErasureCounts = {
      profiles: ids.length,
      identifiers: db.delete(identifiers).where(inArray(identifiers.profileId, ids)).run().changes,
      suppressed,
      sourceRecords: db
        .update(sourceCustomers)
        .set({
          ...PERSONAL_FIELDS_CLEARED,
          address: null,
          country: null,
          joinEvidence: null,
          payload: SCRUBBED_PAYLOAD,
          payloadHash: SCRUBBED_HASH,
          updatedAt: now,
        })
        .where(inArray(sourceCustomers.profileId, ids))
        .run().changes,
      notes: db.delete(notes).where(inArray(notes.profileId, ids)).run().changes,
      preferences: db.delete(preferences).where(inArray(preferences.profileId, ids)).run().changes,
      tags: db.delete(profileTags).where(inArray(profileTags.profileId, ids)).run().changes,
      consentEvents: db.delete(consentEvents).where(inArray(consentEvents.profileId, ids)).run().changes,
      assignments: db.delete(customerAssignments).where(inArray(customerAssignments.profileId, ids)).run().changes,
      followUps: db.delete(followUps).where(inArray(followUps.profileId, ids)).run().changes,
      reviewItems,
      ordersKept: db.select({ n: count() }).from(orders).where(inArray(orders.profileId, ids)).get()!.n,
    };
    db.update(profiles)
      .set({ ...PERSONAL_FIELDS_CLEARED, lineage: null, updatedAt: now })
      .where(inArray(profiles.id, ids))
      .run();
    db.insert(erasures)
      .values(ids.map((p) => ({ profileId: p, staffId: by.staffId, at: now })))
      .run();
    writeAudit(db, { staffId: by.staffId, storeId: by.storeId, action: "customer.erase", profileId: id, detail: { ...counts } }, now);
    return { profileId: id, counts };
  });
  flushErasedPages(db);
  return erased;
}

/**
 * Deleted rows are zeroed in place (secure_delete, set on every connection), but the WAL still
 * holds the pages as they were before the erasure until a checkpoint copies the new ones back and
 * truncates it. A reader holding an old snapshot can stop the truncation; the next checkpoint then
 * finishes the job.
 */
function flushErasedPages(db: Db): void {
  checkpoint(db);
}
