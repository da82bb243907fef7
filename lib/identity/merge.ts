import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { type Db, inTransaction, perConnection } from "@/db/client";
import {
  type FieldLineage,
  type MatchEvidence,
  identifiers,
  interactions,
  mergeEventRecords,
  mergeEvents,
  orders,
  profiles,
  reviewQueue,
  sourceCustomers,
  sources,
  staff,
} from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { refreshStoreCustomer } from "@/lib/lists/stats";
import { isErased } from "@/lib/privacy/suppression";
import { type SideRecord, sideRecords } from "./review";
import { createIngestContext, goldenNormalisers, mergeProfiles, refreshGolden } from "./ingest";
import { evidenceOf, scoreProfiles } from "./match-model";
import { maskedValue } from "./normalize";
import { closeOpenItemsBetween, lineageOf } from "./queries";
import { recordsOfProfile } from "./resolve";
import { loadIdentitySettings, loadMatchModel } from "./settings";
import { GOLDEN_FIELDS, type GoldenField, type SurvivorshipRecord, surviveFields } from "./survivorship";

/**
 * Manual merge, its dry run, and unmerge. A merge folds the younger profile into the older one (IDs
 * stay stable) through the same mergeProfiles the resolver uses, which also notes which source
 * records the absorbed profile held; an unmerge gives exactly those records back, and with them
 * their identifiers, orders and interactions, which all follow their source record.
 */

export type Actor = { staffId: number | null; cause: string };

type LiveProfile = { id: number; createdAt: number };

function liveProfile(db: Db, id: number): LiveProfile {
  const p = db.select({ id: profiles.id, createdAt: profiles.createdAt, mergedInto: profiles.mergedInto }).from(profiles).where(eq(profiles.id, id)).get();
  if (!p) throw new DomainError("not_found", `Customer ${id} does not exist.`);
  if (p.mergedInto !== null) throw new DomainError("conflict", `Customer ${id} was already merged into ${p.mergedInto}.`);
  // An erased customer's row stays only so their orders still count: merging a live customer into it would hide them.
  if (isErased(db, id)) throw new DomainError("conflict", `Customer ${id} was erased.`);
  return p;
}

/** The older profile survives, so the ID staff and systems have known longest stays valid. */
export function mergeRoles(db: Db, a: number, b: number): { survivorId: number; absorbedId: number } {
  if (a === b) throw new DomainError("invalid_input", "A customer cannot be merged with itself.");
  const [pa, pb] = [liveProfile(db, a), liveProfile(db, b)];
  const aFirst = pa.createdAt < pb.createdAt || (pa.createdAt === pb.createdAt && pa.id < pb.id);
  return aFirst ? { survivorId: pa.id, absorbedId: pb.id } : { survivorId: pb.id, absorbedId: pa.id };
}

export type FieldValue = { value: string | null; lineage: FieldLineage | null };
export type FieldChange = { field: GoldenField; before: FieldValue; after: FieldValue };

export type MergePreview = {
  survivorId: number;
  absorbedId: number;
  /** Golden fields of the survivor that the merge would change, with the source each value comes from. */
  changes: FieldChange[];
  records: { survivor: number; absorbed: number };
  identifiers: { survivor: number; absorbed: number };
  /** Orders as the profile counts them: returns left out. */
  orders: { survivor: number; absorbed: number };
  interactions: { survivor: number; absorbed: number };
};

const countWhere = (db: Db, table: typeof identifiers | typeof interactions | typeof sourceCustomers, profileId: number) =>
  db.select({ n: count() }).from(table).where(eq(table.profileId, profileId)).get()!.n;

const countOrders = (db: Db, profileId: number) =>
  db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.profileId, profileId), gt(orders.total, 0)))
    .get()!.n;

/** What merging the two profiles would change, contact details masked as on every other screen. Reads only: nothing is written. */
export function previewMerge(db: Db, a: number, b: number): MergePreview {
  const { survivorId, absorbedId } = mergeRoles(db, a, b);
  const ctx = createIngestContext(db);
  const recordsOf = (profileId: number) => ctx.stmts.recordsOfProfile.all({ profileId }) as SurvivorshipRecord[];
  const normalisers = goldenNormalisers(ctx.settings);
  const before = surviveFields(recordsOf(survivorId), normalisers);
  const after = surviveFields([...recordsOf(survivorId), ...recordsOf(absorbedId)], normalisers);
  const labelled = (l: FieldLineage | undefined) => (l ? { ...l, source: ctx.sources.get(l.source)?.label ?? l.source } : null);
  const shown = (field: GoldenField, value: string | null) => (value === null ? null : maskedValue(field, value));
  const changes: FieldChange[] = [];
  for (const field of GOLDEN_FIELDS) {
    const was = before.lineage[field]?.sourceRecordId ?? null;
    const will = after.lineage[field]?.sourceRecordId ?? null;
    if (before[field] === after[field] && was === will) continue;
    changes.push({
      field,
      before: { value: shown(field, before[field]), lineage: labelled(before.lineage[field]) },
      after: { value: shown(field, after[field]), lineage: labelled(after.lineage[field]) },
    });
  }
  const both = <T extends Parameters<typeof countWhere>[1]>(table: T) => ({
    survivor: countWhere(db, table, survivorId),
    absorbed: countWhere(db, table, absorbedId),
  });
  return {
    survivorId,
    absorbedId,
    changes,
    records: both(sourceCustomers),
    identifiers: both(identifiers),
    orders: { survivor: countOrders(db, survivorId), absorbed: countOrders(db, absorbedId) },
    interactions: both(interactions),
  };
}

export type MergeResult = { survivorId: number; absorbedId: number; mergeEventId: number };

/** The match model's evidence on two profiles as they are now: what it makes of a pair staff merge without asking it. */
function currentEvidence(db: Db, a: number, b: number): MatchEvidence | null {
  const settings = loadIdentitySettings(db);
  const model = loadMatchModel(db);
  const match = scoreProfiles(model, recordsOfProfile(db, settings, a), recordsOfProfile(db, settings, b));
  return match ? evidenceOf(model, match.best) : null;
}

/**
 * Merges two profiles by hand and closes the review items between them. The merge event keeps the
 * evidence the decision was taken on (the review item's, as the reviewer saw it), else the model's
 * on the two as they are, so the profile's history explains a staff merge as it does an automatic one.
 */
export function mergeManually(db: Db, a: number, b: number, actor: Actor & { evidence?: MatchEvidence | null }, now = Date.now()): MergeResult {
  return inTransaction(db, () => {
    const { survivorId, absorbedId } = mergeRoles(db, a, b);
    const ctx = createIngestContext(db, () => now);
    mergeProfiles(ctx, survivorId, absorbedId, { ...actor, evidence: actor.evidence ?? currentEvidence(db, survivorId, absorbedId) });
    refreshGolden(ctx, survivorId);
    db.update(reviewQueue)
      .set({ status: "merged", decidedBy: actor.staffId, decidedAt: now })
      .where(
        and(
          eq(reviewQueue.status, "open"),
          or(
            and(eq(reviewQueue.profileA, survivorId), eq(reviewQueue.profileB, absorbedId)),
            and(eq(reviewQueue.profileA, absorbedId), eq(reviewQueue.profileB, survivorId)),
          ),
        ),
      )
      .run();
    const event = db
      .select({ id: mergeEvents.id })
      .from(mergeEvents)
      .where(and(eq(mergeEvents.kind, "merge"), eq(mergeEvents.survivorId, survivorId), eq(mergeEvents.absorbedId, absorbedId)))
      .orderBy(desc(mergeEvents.id))
      .get()!;
    return { survivorId, absorbedId, mergeEventId: event.id };
  });
}

/** The unmerge that undid a merge event, if any: the next unmerge of the same pair. */
function undoneBy(db: Db, event: { id: number; survivorId: number; absorbedId: number }): number | null {
  const later = db
    .select({ id: mergeEvents.id, kind: mergeEvents.kind })
    .from(mergeEvents)
    .where(and(eq(mergeEvents.survivorId, event.survivorId), eq(mergeEvents.absorbedId, event.absorbedId), gt(mergeEvents.id, event.id)))
    .orderBy(asc(mergeEvents.id))
    .get();
  return later?.kind === "unmerge" ? later.id : null;
}

/** `holderId`: the customer who held the merge's records when it was undone (its survivor, or who absorbed the survivor since). */
export type UnmergeResult = { survivorId: number; holderId: number; restoredId: number; unmergeEventId: number; records: number };

/**
 * Undoes one merge: the absorbed profile is live again with the source records it held then, and
 * their identifiers, orders and interactions; profiles that had been merged into it redirect to it
 * again. The pair is remembered as "not the same person", so it is not suggested again.
 */
export function unmerge(db: Db, mergeEventId: number, actor: Actor, now = Date.now()): UnmergeResult {
  return inTransaction(db, () => {
    const event = db.select().from(mergeEvents).where(eq(mergeEvents.id, mergeEventId)).get();
    if (!event || event.kind !== "merge") throw new DomainError("not_found", "That merge does not exist.");
    if (undoneBy(db, event) !== null) throw new DomainError("conflict", "That merge was already undone.");
    const restoredId = event.absorbedId;
    const recorded = db
      .select({ id: mergeEventRecords.sourceRecordId })
      .from(mergeEventRecords)
      .where(eq(mergeEventRecords.mergeEventId, event.id))
      .all()
      .map((r) => r.id);
    if (recorded.length === 0) throw new DomainError("conflict", "This merge happened before merges were recorded record by record and cannot be undone.");
    // Where the records are now: the survivor, or whatever absorbed the survivor since (one hop). Those
    // split off to another customer since stay where a person or the nightly pass put them.
    const survivor = db.select({ mergedInto: profiles.mergedInto }).from(profiles).where(eq(profiles.id, event.survivorId)).get();
    const holder = survivor?.mergedInto ?? event.survivorId;
    const recordIds = db
      .select({ id: sourceCustomers.id })
      .from(sourceCustomers)
      .where(and(inArray(sourceCustomers.id, recorded), eq(sourceCustomers.profileId, holder)))
      .all()
      .map((r) => r.id);
    if (recordIds.length === 0) throw new DomainError("conflict", "Its records were split off to another customer since: there is nothing left to give back.");
    const holders = [holder];

    db.update(profiles).set({ mergedInto: null, updatedAt: now }).where(eq(profiles.id, restoredId)).run();
    moveRecords(db, recordIds, restoredId);
    // Profiles folded into the restored one before this merge, directly or through one it had absorbed,
    // were redirected on to the survivor; point them back.
    const formerlyAbsorbed: number[] = [];
    for (let frontier = [restoredId]; frontier.length;) {
      frontier = db
        .select({ id: mergeEvents.absorbedId })
        .from(mergeEvents)
        .where(and(eq(mergeEvents.kind, "merge"), inArray(mergeEvents.survivorId, frontier)))
        .all()
        .map((r) => r.id)
        .filter((id) => id !== restoredId && !formerlyAbsorbed.includes(id));
      formerlyAbsorbed.push(...frontier);
    }
    if (formerlyAbsorbed.length) {
      db.update(profiles)
        .set({ mergedInto: restoredId })
        .where(and(inArray(profiles.id, formerlyAbsorbed), inArray(profiles.mergedInto, holders)))
        .run();
    }
    const unmergeEvent = db
      .insert(mergeEvents)
      .values({ kind: "unmerge", survivorId: event.survivorId, absorbedId: restoredId, cause: actor.cause, staffId: actor.staffId, at: now })
      .returning({ id: mergeEvents.id })
      .get();
    keepApart(db, event.survivorId, restoredId, "unmerged: not the same person", actor, now);
    // The pair's queued item may name the customer who holds the records now.
    if (holder !== event.survivorId) closeOpenItemsBetween(db, holder, restoredId, actor.staffId, now);
    recount(db, new Set([restoredId, ...holders]), now);
    return { survivorId: event.survivorId, holderId: holder, restoredId, unmergeEventId: unmergeEvent.id, records: recordIds.length };
  });
}

export type SplitResult = { profileId: number; newProfileId: number; splitEventId: number; records: number };

/**
 * Moves some of a profile's source records to a new profile of their own: the undo for records the
 * match model joined to the wrong person on arrival, which no merge event covers. Their identifiers,
 * orders and interactions follow them, as in an unmerge; what staff recorded (notes, the client
 * book, follow-ups, consents given at the counter) stays with the customer they served. A person's
 * split (`keepApart`, the default) is remembered as "not the same person", so neither ingest nor
 * the nightly pass joins the two again; the match model's own split (the nightly pass) is not a
 * person's word and leaves that open. `evidence`: the model's reason, else why the records had joined.
 * `shown`: every record the staff member saw on the profile; the split is refused if they are no
 * longer exactly what it holds. `history: "stays"`: the records now stand for someone else (a source
 * re-used the ID), so what was sent under them before stays with this customer, no longer tied to
 * them, and an ID merged in earlier keeps finding this customer.
 */
export function splitRecords(
  db: Db,
  profileId: number,
  recordIds: number[],
  actor: Actor,
  now = Date.now(),
  {
    evidence: given,
    keepApart: remember = true,
    shown,
    history = "moves",
  }: { evidence?: MatchEvidence; keepApart?: boolean; shown?: number[]; history?: "moves" | "stays" } = {},
): SplitResult {
  return inTransaction(db, () => {
    liveProfile(db, profileId);
    const moving = [...new Set(recordIds)];
    const held = db
      .select({ id: sourceCustomers.id, joinEvidence: sourceCustomers.joinEvidence })
      .from(sourceCustomers)
      .where(eq(sourceCustomers.profileId, profileId))
      .all();
    const heldIds = new Set(held.map((r) => r.id));
    const strangers = moving.filter((id) => !heldIds.has(id));
    if (moving.length === 0) throw new DomainError("invalid_input", "Choose the records to split off.");
    // Staff choose what moves by what stays: if the records have changed under them, so has the choice.
    if (shown && (shown.length !== heldIds.size || shown.some((id) => !heldIds.has(id)))) {
      throw new DomainError(
        "conflict",
        `Customer ${profileId}'s records have changed since this page loaded (merged, split or unmerged elsewhere). Reload the page.`,
      );
    }
    if (strangers.length) throw new DomainError("conflict", `Record ${strangers.join(", ")} is not one of customer ${profileId}'s. Reload the page.`);
    // Where the history stays, so does the customer: a source's re-used ID may take their only record.
    if (moving.length === heldIds.size && history === "moves") throw new DomainError("invalid_input", "At least one record must stay with the customer.");

    const newProfileId = db.insert(profiles).values({ createdAt: now, updatedAt: now }).returning({ id: profiles.id }).get().id;
    const movingSet = new Set(moving);
    // Why the first of them had been joined, kept on the event: the records' own evidence no longer explains where they are.
    const evidence = given ?? held.find((r) => movingSet.has(r.id) && r.joinEvidence)?.joinEvidence ?? null;
    if (history === "stays") {
      db.update(orders).set({ sourceRecordId: null }).where(inArray(orders.sourceRecordId, moving)).run();
      db.update(interactions).set({ sourceRecordId: null }).where(inArray(interactions.sourceRecordId, moving)).run();
    }
    moveRecords(db, moving, newProfileId);
    db.update(sourceCustomers).set({ joinEvidence: null }).where(inArray(sourceCustomers.id, moving)).run();
    // A profile merged in earlier whose records all left now redirects to where they went, so its old ID finds its own customer.
    const absorbed = history === "moves" ? db.select({ id: profiles.id }).from(profiles).where(eq(profiles.mergedInto, profileId)).all() : [];
    for (const { id } of absorbed) {
      const merge = db
        .select({ id: mergeEvents.id })
        .from(mergeEvents)
        // Its own merge, into this profile or into one this profile absorbed since.
        .where(and(eq(mergeEvents.kind, "merge"), eq(mergeEvents.absorbedId, id)))
        .orderBy(desc(mergeEvents.id))
        .get();
      const itsRecords = merge
        ? db.select({ id: mergeEventRecords.sourceRecordId }).from(mergeEventRecords).where(eq(mergeEventRecords.mergeEventId, merge.id)).all()
        : [];
      if (itsRecords.length && itsRecords.every((r) => movingSet.has(r.id))) {
        db.update(profiles).set({ mergedInto: newProfileId }).where(eq(profiles.id, id)).run();
      }
    }
    const event = db
      .insert(mergeEvents)
      .values({ kind: "split", survivorId: profileId, absorbedId: newProfileId, cause: actor.cause, evidence, staffId: actor.staffId, at: now })
      .returning({ id: mergeEvents.id })
      .get();
    db.insert(mergeEventRecords)
      .values(moving.map((sourceRecordId) => ({ mergeEventId: event.id, sourceRecordId })))
      .run();
    if (remember) keepApart(db, profileId, newProfileId, "split off: not the same person", actor, now);
    recount(db, [profileId, newProfileId], now);
    return { profileId, newProfileId, splitEventId: event.id, records: moving.length };
  });
}

/**
 * A profile's records in groups that share an email, phone or loyalty ID, directly or through one
 * another: record ID → the smallest record ID of its group (a record sharing none is its own).
 * Splitting one record off without the rest of its group would leave the same person on both sides.
 */
export function recordGroups(recordIds: Iterable<number>, links: { recordId: number; type: string; value: string }[]): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const firstHolder = new Map<string, number>();
  for (const id of recordIds) parent.set(id, id);
  for (const { recordId, type, value } of links) {
    const key = `${type}:${value}`;
    const other = firstHolder.get(key);
    if (other === undefined) firstHolder.set(key, recordId);
    else {
      const [a, b] = [find(recordId), find(other)];
      if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
    }
  }
  const out = new Map<number, number>();
  for (const id of parent.keys()) out.set(id, find(id));
  return out;
}

export type SplitChoice = SideRecord & { group: number };

/** What staff choose from when splitting records off a profile: its records, each with its group (recordGroups). */
export function splitChoices(db: Db, profileId: number): SplitChoice[] {
  const links = db
    .select({ recordId: identifiers.sourceRecordId, type: identifiers.type, value: identifiers.value })
    .from(identifiers)
    .where(eq(identifiers.profileId, profileId))
    .all();
  const records = sideRecords(db, profileId);
  const groups = recordGroups(
    records.map((r) => r.id),
    links,
  );
  return records.map((r) => ({ ...r, group: groups.get(r.id)! }));
}

/** Gives source records to a profile, and with them the identifiers, orders and interactions that came with them. */
function moveRecords(db: Db, recordIds: number[], profileId: number): void {
  for (let i = 0; i < recordIds.length; i += 500) {
    const chunk = recordIds.slice(i, i + 500);
    db.update(sourceCustomers).set({ profileId }).where(inArray(sourceCustomers.id, chunk)).run();
    db.update(identifiers).set({ profileId }).where(inArray(identifiers.sourceRecordId, chunk)).run();
    db.update(orders).set({ profileId }).where(inArray(orders.sourceRecordId, chunk)).run();
    db.update(interactions).set({ profileId }).where(inArray(interactions.sourceRecordId, chunk)).run();
  }
}

/** "Not the same person", remembered as a decided review item: neither ingest nor the nightly pass joins the two again (keptApart). */
function keepApart(db: Db, profileA: number, profileB: number, reason: string, actor: Actor, now: number): void {
  // A pair queued before (and hidden while the two were one) is decided too, not offered again.
  closeOpenItemsBetween(db, profileA, profileB, actor.staffId, now);
  db.insert(reviewQueue)
    .values({ kind: "possible_duplicate", profileA, profileB, reason, status: "rejected", createdAt: now, decidedBy: actor.staffId, decidedAt: now })
    .run();
}

/** Golden fields, statistics and the stores' list rows recomputed from what each profile now holds, after records moved between them. */
function recount(db: Db, profileIds: Iterable<number>, now: number): void {
  const ctx = createIngestContext(db, () => now);
  for (const profileId of profileIds) {
    refreshGolden(ctx, profileId);
    ctx.stmts.refreshStats.run({ profileId });
    refreshStoreCustomer(db, profileId);
  }
}

export type MergeHistoryEntry = {
  id: number;
  kind: "merge" | "unmerge" | "split";
  survivorId: number;
  absorbedId: number;
  cause: string;
  /** The match model's weights, for an automatic merge. */
  evidence: MatchEvidence | null;
  staffName: string | null;
  at: number;
  /** A merge into this profile that can still be undone. */
  undoable: boolean;
};

/** What a manager's or head office's profile view reads about merges and joins, prepared once per connection. */
const historyQueries = perConnection((db: Db) => {
  const profileId = sql.placeholder("profileId");
  return {
    merges: db
      .select({
        id: mergeEvents.id,
        kind: mergeEvents.kind,
        survivorId: mergeEvents.survivorId,
        absorbedId: mergeEvents.absorbedId,
        cause: mergeEvents.cause,
        evidence: mergeEvents.evidence,
        staffName: staff.name,
        at: mergeEvents.at,
      })
      .from(mergeEvents)
      .leftJoin(staff, eq(staff.id, mergeEvents.staffId))
      .where(or(eq(mergeEvents.survivorId, profileId), eq(mergeEvents.absorbedId, profileId)))
      .orderBy(desc(mergeEvents.id))
      .prepare(),
    joins: db
      .select({
        recordId: sourceCustomers.id,
        source: sources.label,
        sourceCustomerId: sourceCustomers.sourceCustomerId,
        at: sourceCustomers.createdAt,
        evidence: sourceCustomers.joinEvidence,
      })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(and(eq(sourceCustomers.profileId, profileId), isNotNull(sourceCustomers.joinEvidence)))
      .orderBy(desc(sourceCustomers.id))
      .prepare(),
  };
});

/** Merges into and out of a profile, newest first. */
export function mergeHistory(db: Db, profileId: number): MergeHistoryEntry[] {
  const { merges } = historyQueries(db);
  // Merges into a profile this one has absorbed since are its history too, and can be undone from here.
  const absorbed = lineageOf(db, profileId).slice(1);
  const rows = [...merges.all({ profileId }), ...absorbed.flatMap((id) => merges.all({ profileId: id }).filter((r) => r.survivorId === id))].sort(
    (x, y) => y.id - x.id,
  );
  if (rows.length === 0) return [];
  const recorded = new Set(
    db
      .selectDistinct({ id: mergeEventRecords.mergeEventId })
      .from(mergeEventRecords)
      .where(
        inArray(
          mergeEventRecords.mergeEventId,
          rows.map((r) => r.id),
        ),
      )
      .all()
      .map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    undoable: r.kind === "merge" && r.absorbedId !== profileId && recorded.has(r.id) && undoneBy(db, r) === null && isLive(db, profileId),
  }));
}

export type RecordJoin = { recordId: number; source: string; sourceCustomerId: string; at: number; evidence: MatchEvidence };

/** The records the match model added to the profile (or to one merged into it) when they arrived, with its evidence, newest first. */
export function recordJoins(db: Db, profileId: number): RecordJoin[] {
  return historyQueries(db).joins.all({ profileId }) as RecordJoin[];
}

function isLive(db: Db, profileId: number): boolean {
  return !!db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.id, profileId), isNull(profiles.mergedInto)))
    .get();
}

export function findMergeEvent(db: Db, id: number): typeof mergeEvents.$inferSelect | null {
  return db.select().from(mergeEvents).where(eq(mergeEvents.id, id)).get() ?? null;
}
