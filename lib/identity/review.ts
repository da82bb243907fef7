import { type SQLWrapper, and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import {
  type FieldLineage,
  type ReviewKind,
  customerAssignments,
  identifiers,
  orders,
  profiles,
  reviewQueue,
  sourceCustomers,
  sources,
  stores,
} from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { boughtInStore } from "@/lib/book/scope";
import { displayName } from "@/lib/customers/display";
import { DomainError } from "@/lib/errors";
import { maskedValue } from "./normalize";
import { sourceLabels } from "./settings";
import { GOLDEN_FIELDS, type GoldenField } from "./survivorship";

/**
 * The review queue as staff see it: which items a manager may see (those whose every customer is a
 * customer of their store: bought there or in its client book; head office sees all), and the two profiles of
 * an item side by side.
 */

const storeCustomerOf = (profileId: SQLWrapper, storeId: number) =>
  or(
    boughtInStore(profileId, storeId),
    sql`exists (select 1 from ${customerAssignments} where ${customerAssignments.profileId} = ${profileId} and ${customerAssignments.storeId} = ${storeId})`,
  );

export function isStoreCustomer(db: Db, profileId: number, storeId: number): boolean {
  return !!db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.id, profileId), storeCustomerOf(profiles.id, storeId)))
    .get();
}

/** Null: head office, every store. */
export type StoreScope = number | null;

/** A manager may act on a pair only when both are customers of their store: anything wider is head office's. */
export function canReviewPair(db: Db, scope: StoreScope, profileIds: number[]): boolean {
  return scope === null || profileIds.every((id) => isStoreCustomer(db, id, scope));
}

export type ReviewListItem = {
  id: number;
  kind: ReviewKind;
  reason: string;
  score: number | null;
  createdAt: number;
  a: { id: number; name: string };
  b: { id: number; name: string } | null;
};

export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  possible_duplicate: "Possible duplicate",
  conflicting_loyalty: "Different loyalty cards",
  conflicting_birth_date: "Different birth dates",
  over_shared_identifier: "Shared by too many people",
};

/** Open items whose profiles are both still live (a merge elsewhere may have settled an item), best score first. */
export function listReviewItems(db: Db, scope: StoreScope, limit = 100): ReviewListItem[] {
  const pa = alias(profiles, "pa");
  const pb = alias(profiles, "pb");
  const rows = db
    .select({
      ...columnsOf(reviewQueue, "id", "kind", "reason", "score", "createdAt"),
      a: columnsOf(pa, "id", "firstName", "lastName"),
      b: columnsOf(pb, "id", "firstName", "lastName"),
    })
    .from(reviewQueue)
    .innerJoin(pa, eq(pa.id, reviewQueue.profileA))
    .leftJoin(pb, eq(pb.id, reviewQueue.profileB))
    .where(
      and(
        eq(reviewQueue.status, "open"),
        isNull(pa.mergedInto),
        isNull(pb.mergedInto),
        scope === null ? undefined : and(storeCustomerOf(pa.id, scope), or(isNull(reviewQueue.profileB), storeCustomerOf(pb.id, scope))),
      ),
    )
    .orderBy(desc(sql`coalesce(${reviewQueue.score}, 1)`), desc(reviewQueue.id))
    .limit(limit)
    .all();
  return rows.map(({ a, b, ...item }) => ({ ...item, a: { id: a.id, name: displayName(a) }, b: b === null ? null : { id: b.id, name: displayName(b) } }));
}

export function findReviewItem(db: Db, id: number) {
  return db.select().from(reviewQueue).where(eq(reviewQueue.id, id)).get() ?? null;
}

export function getReviewItem(db: Db, id: number) {
  const item = findReviewItem(db, id);
  if (!item) throw new DomainError("not_found", "That review item does not exist.");
  return item;
}

/**
 * An open item one of whose customers has since been merged into another: the pair it names no
 * longer exists, and a decision on it would bind a customer the reviewer was not shown. The queue
 * leaves such items out; the one naming the merged customers as they are now is decided instead.
 */
export function overtakenByMerge(db: Db, item: { profileA: number; profileB: number | null }): { absorbed: number; into: number } | null {
  // A shared-identifier flag names no pair, only the first holder it was raised on: a merge does not settle it.
  if (item.profileB === null) return null;
  for (const side of [item.profileA, item.profileB]) {
    const into = liveProfileOf(db, side);
    if (into !== side) return { absorbed: side, into };
  }
  return null;
}

/** The profile a customer's ID stands for now: itself, or the one it was merged into, through later merges. */
export function liveProfileOf(db: Db, profileId: number): number {
  let id = profileId;
  for (let next = mergedInto(db, id); next !== null; next = mergedInto(db, id)) id = next;
  return id;
}

const mergedInto = (db: Db, id: number) => db.select({ to: profiles.mergedInto }).from(profiles).where(eq(profiles.id, id)).get()?.to ?? null;

/** "Not the same person": the item is closed and the duplicate finder skips the pair from now on. */
export function rejectReviewItem(db: Db, id: number, staffId: number, now = Date.now()): void {
  const item = getReviewItem(db, id);
  if (item.status !== "open") throw new DomainError("conflict", "This item was already decided.");
  const overtaken = overtakenByMerge(db, item);
  if (overtaken) {
    throw new DomainError(
      "conflict",
      `Customer ${overtaken.absorbed} was merged into customer ${overtaken.into} after this pair was queued. Decide the pair as it is now from the review queue.`,
    );
  }
  db.update(reviewQueue).set({ status: "rejected", decidedBy: staffId, decidedAt: now }).where(eq(reviewQueue.id, id)).run();
}

export type SideRecord = {
  id: number;
  source: string;
  sourceCustomerId: string;
  updatedAt: number;
  fields: Partial<Record<GoldenField | "address", string>>;
};

export type SideProfile = {
  id: number;
  name: string;
  createdAt: number;
  golden: { field: GoldenField; value: string; lineage: FieldLineage | null }[];
  records: SideRecord[];
  identifiers: { type: string; value: string; source: string }[];
  orders: { count: number; spend: number; recent: { id: number; placedAt: number; total: number; channel: string; store: string | null }[] };
};

export type IdentifierHolders = { total: number; shown: { id: number; name: string }[] };

/**
 * The live customers holding an identifier that the over-shared flag is about: how many, and the
 * first of them the caller may open (a manager: their store's customers only).
 */
export function identifierHolders(db: Db, type: string, value: string, scope: StoreScope, limit = 50): IdentifierHolders {
  const holders = db
    .selectDistinct({ id: profiles.id, firstName: profiles.firstName, lastName: profiles.lastName })
    .from(identifiers)
    .innerJoin(profiles, eq(profiles.id, identifiers.profileId))
    .where(and(eq(identifiers.type, type as (typeof identifiers.type.enumValues)[number]), eq(identifiers.value, value), isNull(profiles.mergedInto)))
    .orderBy(profiles.id)
    .all();
  const open = holders.filter((p) => scope === null || isStoreCustomer(db, p.id, scope));
  return { total: holders.length, shown: open.slice(0, limit).map((p) => ({ id: p.id, name: displayName(p) })) };
}

/** A profile's source records as the sources sent them, most trusted source first, contact details masked. */
export function sideRecords(db: Db, profileId: number): SideRecord[] {
  return db
    .select({ record: sourceCustomers, source: sources.label })
    .from(sourceCustomers)
    .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
    .where(eq(sourceCustomers.profileId, profileId))
    .orderBy(sources.trustRank, sourceCustomers.id)
    .all()
    .map(({ record, source }) => {
      const fields: SideRecord["fields"] = {};
      for (const f of [...GOLDEN_FIELDS, "address"] as const) if (record[f]) fields[f] = maskedValue(f, record[f]!);
      return { id: record.id, source, sourceCustomerId: record.sourceCustomerId, updatedAt: record.sourceUpdatedAt, fields };
    });
}

export function sideProfile(db: Db, profileId: number): SideProfile {
  const p = db.select().from(profiles).where(eq(profiles.id, profileId)).get();
  if (!p) throw new DomainError("not_found", `Customer ${profileId} does not exist.`);
  const labels = sourceLabels(db);
  const golden = GOLDEN_FIELDS.filter((f) => p[f]).map((field) => {
    const lineage = p.lineage?.[field] ?? null;
    return { field, value: maskedValue(field, p[field]!), lineage: lineage && { ...lineage, source: labels[lineage.source] ?? lineage.source } };
  });
  const records = sideRecords(db, profileId);
  const ids = db
    .select({ type: identifiers.type, value: identifiers.value, source: sources.label })
    .from(identifiers)
    .innerJoin(sourceCustomers, eq(sourceCustomers.id, identifiers.sourceRecordId))
    .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
    .where(eq(identifiers.profileId, profileId))
    .all()
    .map((i) => ({ ...i, value: maskedValue(i.type, i.value) }));
  const recent = db
    .select({ id: orders.id, placedAt: orders.placedAt, total: orders.total, channel: orders.channel, store: stores.name })
    .from(orders)
    .leftJoin(stores, eq(stores.id, orders.storeId))
    .where(eq(orders.profileId, profileId))
    .orderBy(desc(orders.placedAt))
    .limit(5)
    .all();
  return {
    id: p.id,
    name: displayName(p),
    createdAt: p.createdAt,
    golden,
    records,
    identifiers: ids,
    orders: { count: p.orderCount, spend: p.lifetimeSpend, recent },
  };
}
