/** The statements ingest and merging run for every record, prepared once per IngestContext. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { followUps, identifiers, interactions, mergeEventRecords, mergeEvents, orders, profiles, reviewQueue, sourceCustomers, sources } from "@/db/schema";
import { prepareCounterConsents } from "@/lib/customers/consent";
import { raw, rawParams } from "@/lib/ingest/common";
import { prepareInteractions } from "@/lib/ingest/interactions";
import { prepareOrderStats } from "@/lib/ingest/order-stats";
import { prepareOrders } from "@/lib/ingest/orders";

export type IngestStatements = ReturnType<typeof prepareIngestStatements>;

export function prepareIngestStatements(db: Db) {
  const p = sql.placeholder;
  return {
    recordByKey: db
      .select({
        id: sourceCustomers.id,
        profileId: sourceCustomers.profileId,
        payloadHash: sourceCustomers.payloadHash,
        sourceUpdatedAt: sourceCustomers.sourceUpdatedAt,
        updatedAt: sourceCustomers.updatedAt,
      })
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
