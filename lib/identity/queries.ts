// The identity domain's SQL that is raw or SQLite-only (INSERT OR IGNORE, UPDATE OR IGNORE, pluck),
// named, so a port to another database rewrites this module and not the resolution logic. These are
// the hottest statements of ingest: prepared once per connection, run through the driver directly.
import { type Db, perConnection } from "@/db/client";
import { blockingKeys } from "./blocking";
import type { MatchRecord, RawMatchRecord } from "./match-model";

const RECORD_COLUMNS =
  "id, profile_id as profileId, source_id as sourceId, first_name as firstName, last_name as lastName, birth_date as birthDate, email, phone, postcode, address, city, loyalty_id as loyaltyId";

/** A person has a handful of records; a profile with hundreds is compared on its first ones only. */
const RECORDS_PER_PROFILE = 50;

const statements = perConnection((db: Db) => ({
  ownersOf: db.$client.prepare<[string, string, number], number>("select distinct profile_id from identifiers where type = ? and value = ? limit ?").pluck(),
  recordsInBlock: db.$client.prepare<[string, number], number>("select source_record_id from match_keys where key = ? limit ?").pluck(),
  profileOfRecord: db.$client.prepare<[number], number>("select profile_id from source_customers where id = ?").pluck(),
  recordsOfProfile: db.$client.prepare<[number, number], RawMatchRecord>(`select ${RECORD_COLUMNS} from source_customers where profile_id = ? limit ?`),
  insertKey: db.$client.prepare<[string, number]>("insert or ignore into match_keys (key, source_record_id) values (?, ?)"),
  deleteKeys: db.$client.prepare<[number]>("delete from match_keys where source_record_id = ?"),
  // A reviewer's "not the same person" (a rejected item, an unmerge, a split), in either order.
  keptApart: db.$client
    .prepare<[number, number, number, number], number>(
      "select 1 from review_queue where status = 'rejected' and ((profile_a = ? and profile_b = ?) or (profile_a = ? and profile_b = ?)) limit 1",
    )
    .pluck(),
  // "+status": the pair's index, never the status one (most of the queue shares a status).
  closeOpenPair: db.$client.prepare<{ a: number; b: number; staffId: number | null; now: number }>(
    `update review_queue set status = 'rejected', decided_by = @staffId, decided_at = @now
      where +status = 'open' and kind = 'possible_duplicate' and ((profile_a = @a and profile_b = @b) or (profile_a = @b and profile_b = @a))`,
  ),
  // merged_into is one hop (mergeProfiles redirects what an absorbed profile had absorbed).
  absorbedBy: db.$client.prepare<[number], number>("select id from profiles where merged_into = ?").pluck(),
  insertSuggestion: db.$client.prepare(
    "insert into review_queue (kind, profile_a, profile_b, score, reason, evidence, created_at) values ('possible_duplicate', @profileA, @profileB, @score, @reason, @evidence, @now)",
  ),
  // The client book follows the customer: the survivor keeps its own associate where both had one in a store.
  moveAssignments: db.$client.prepare("update or ignore customer_assignments set profile_id = @survivorId where profile_id = @absorbedId"),
  dropAssignments: db.$client.prepare("delete from customer_assignments where profile_id = @absorbedId"),
}));

/** Profiles holding the identifier, at most `limit` of them. */
export function ownersOfIdentifier(db: Db, type: string, value: string, limit: number): number[] {
  return statements(db).ownersOf.all(type, value, limit);
}

/** Source records filed under a blocking key, at most `limit` of them. */
export function recordsInBlock(db: Db, key: string, limit: number): number[] {
  return statements(db).recordsInBlock.all(key, limit);
}

export function profileOfRecord(db: Db, recordId: number): number | undefined {
  return statements(db).profileOfRecord.get(recordId);
}

/** The first records of a profile, in the columns the match model reads. */
export function rawRecordsOfProfile(db: Db, profileId: number): RawMatchRecord[] {
  return statements(db).recordsOfProfile.all(profileId, RECORDS_PER_PROFILE);
}

/** Every source record (`step` 1), or every step-th one (a sample for training), in the columns the match model reads. */
export function rawMatchRecords(db: Db, step = 1): RawMatchRecord[] {
  if (step <= 1) return db.$client.prepare<[], RawMatchRecord>(`select ${RECORD_COLUMNS} from source_customers`).all();
  return db.$client.prepare<[number], RawMatchRecord>(`select ${RECORD_COLUMNS} from source_customers where id % ? = 0`).all(step);
}

export function countSourceRecords(db: Db): number {
  return db.$client.prepare<[], number>("select count(*) from source_customers").pluck().get()!;
}

/** Replaces one record's blocking keys. */
export function replaceBlockingKeys(db: Db, recordId: number, keys: string[]): void {
  const s = statements(db);
  s.deleteKeys.run(recordId);
  for (const key of keys) s.insertKey.run(key, recordId);
}

/** Files the records' blocking keys (a key listed twice for one record is stored once). */
export function insertBlockingKeys(db: Db, records: Iterable<MatchRecord>): void {
  const { insertKey } = statements(db);
  for (const r of records) for (const key of blockingKeys(r)) insertKey.run(key, r.id);
}

/** A profile and the profiles merged into it: a decision about any of them is one about it. */
export function lineageOf(db: Db, profileId: number): number[] {
  return [profileId, ...statements(db).absorbedBy.all(profileId)];
}

/** Whether a person said the two are not one customer, about them or about a profile either has absorbed since. */
export function keptApart(db: Db, a: number, b: number): boolean {
  const s = statements(db);
  const others = lineageOf(db, b);
  return lineageOf(db, a).some((x) => others.some((y) => s.keptApart.get(x, y, y, x) !== undefined));
}

/** Closes the queue's open pairs between the two (and what each absorbed) as decided: "not the same person". */
export function closeOpenItemsBetween(db: Db, a: number, b: number, staffId: number | null, now: number): void {
  const s = statements(db);
  const others = lineageOf(db, b);
  for (const x of lineageOf(db, a)) for (const y of others) s.closeOpenPair.run({ a: x, b: y, staffId, now });
}

export function insertReviewSuggestion(
  db: Db,
  item: { profileA: number; profileB: number; score: number; reason: string; evidence: string; now: number },
): void {
  statements(db).insertSuggestion.run(item);
}

/** Moves the absorbed profile's client-book assignments to the survivor, dropping those the survivor already has in that store. */
export function moveAssignments(db: Db, ids: { survivorId: number; absorbedId: number }): void {
  const s = statements(db);
  s.moveAssignments.run(ids);
  s.dropAssignments.run(ids);
}

/** `type:value` of every identifier held by more profiles than the cap (a shop's phone). */
export function overSharedIdentifiers(db: Db, cap: number): Set<string> {
  return new Set(
    db.$client
      .prepare<[number], string>("select type || ':' || value from identifiers group by type, value having count(distinct profile_id) > ?")
      .pluck()
      .all(cap),
  );
}
