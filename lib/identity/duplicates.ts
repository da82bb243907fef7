import { and, eq, inArray, sql } from "drizzle-orm";
import { distance as levenshtein } from "fastest-levenshtein";
import jaroWinkler from "talisman/metrics/jaro-winkler.js";
import doubleMetaphone from "talisman/phonetics/double-metaphone.js";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { matchKeys, profiles, reviewQueue, sourceCustomers } from "@/db/schema";
import { canonicalBirthDate } from "./link";

/**
 * Possible duplicates: records of different profiles that share no strong identifier but look like
 * one person (similar names plus the same birth date, postcode, address…). Candidates come only
 * from blocks (same birth date, same postcode, names that sound alike), each pair is scored with
 * Fellegi-Sunter style weights, and the best pair per two profiles goes to the review queue. Nothing
 * here merges: a person decides.
 */

export type DuplicateSettings = {
  /** Match probability from which a pair is put to review. */
  threshold: number;
  /** A blocking key shared by more records than this is too common to tell anyone apart and is skipped. */
  maxBlockSize: number;
};

export const DEFAULT_DUPLICATE_SETTINGS: DuplicateSettings = { threshold: 0.5, maxBlockSize: 200 };

/** The fields compared, normalised once per record. */
export type MatchRecord = {
  id: number;
  profileId: number;
  first: string;
  last: string;
  birth: string;
  postcode: string;
  city: string;
  address: string;
  email: string;
  loyalty: string;
};

type RawRecord = {
  id: number;
  profileId: number;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  postcode: string | null;
  city: string | null;
  address: string | null;
  email: string | null;
  loyaltyId: string | null;
};

const letters = (v: string | null) =>
  (v ?? "")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
const compact = (v: string | null) => (v ?? "").toLowerCase().replace(/[^a-z0-9@.]/g, "");

export function toMatchRecord(r: RawRecord): MatchRecord {
  return {
    id: r.id,
    profileId: r.profileId,
    first: letters(r.firstName),
    last: letters(r.lastName),
    birth: canonicalBirthDate(r.birthDate) ?? "",
    postcode: compact(r.postcode),
    city: letters(r.city),
    address: (r.address ?? "").toLowerCase().replace(/\s+/g, " ").trim(),
    email: compact(r.email),
    loyalty: compact(r.loyaltyId),
  };
}

const sound = (name: string) => (name ? doubleMetaphone(name)[0] || name : "");

/** The blocks a record falls in. Name keys are order-free, so a first and last name typed the wrong way round still meet. */
export function blockingKeys(r: MatchRecord): string[] {
  const keys: string[] = [];
  if (r.birth) keys.push(`b:${r.birth}`);
  if (r.postcode) keys.push(`p:${r.postcode}`);
  if (r.first && r.last) keys.push(`n:${[sound(r.first), sound(r.last)].sort().join(":")}`);
  if (r.last && r.birth.length >= 4) keys.push(`y:${sound(r.last)}:${r.birth.slice(0, 4)}`);
  if (r.first && r.city) keys.push(`c:${sound(r.first)}:${r.city}`);
  const at = r.email.indexOf("@");
  if (at > 2) keys.push(`e:${r.email.slice(0, 3)}:${r.email.slice(at + 1)}`);
  return keys;
}

/**
 * log2 Bayes factors per comparison level, m/u probabilities rounded from what such fields give on
 * customer data (an exact surname is about 1 in 200 among strangers and 9 in 10 within one person).
 * Missing values weigh nothing.
 */
const WEIGHTS = {
  first: { exact: 6, close: 4, fuzzy: 1, differ: -6 },
  last: { exact: 7, close: 5, fuzzy: 1.5, differ: -5 },
  birth: { exact: 10, typo: 4, withinYear: 1, withinTenYears: -2, differ: -6 },
  postcode: { exact: 7, typo: 2, differ: -3 },
  city: { exact: 3, close: 1.5, differ: -1 },
  address: { exact: 6, close: 3, differ: -2 },
  email: { exact: 9, close: 5, differ: -1 },
  loyalty: { exact: 9, typo: 5, differ: -3 },
};
/** Odds that two records from one block are one person before looking at them: about 1 in 1,000. */
const PRIOR_WEIGHT = -10;

export type PairScore = { weight: number; probability: number; evidence: string[] };

type NameLevel = "exact" | "close" | "fuzzy" | "differ";

function nameLevel(a: string, b: string): NameLevel {
  if (a === b) return "exact";
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return "close";
  // A first name and its short form or initial (Rob, R.) are not a contradiction.
  if (jw >= 0.8 || (a.length <= 3 && b.startsWith(a)) || (b.length <= 3 && a.startsWith(b))) return "fuzzy";
  return "differ";
}

function namesWeight(a: MatchRecord, b: MatchRecord): { weight: number; first: NameLevel | null; last: NameLevel | null } {
  const score = (x1: string, y1: string, x2: string, y2: string) => {
    const first = x1 && y1 ? nameLevel(x1, y1) : null;
    const last = x2 && y2 ? nameLevel(x2, y2) : null;
    return { weight: (first ? WEIGHTS.first[first] : 0) + (last ? WEIGHTS.last[last] : 0), first, last };
  };
  const straight = score(a.first, b.first, a.last, b.last);
  const swapped = score(a.first, b.last, a.last, b.first);
  return swapped.weight - 1 > straight.weight ? { ...swapped, weight: swapped.weight - 1 } : straight;
}

/** Day and month swapped, or one digit off: the typing slips of a birth date. */
function birthTypo(a: string, b: string): boolean {
  if (a.length !== 8 || b.length !== 8) return levenshtein(a, b) <= 1;
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) return true;
  return levenshtein(a, b) <= 1;
}

type Level = { weight: number; evidence: string | null; corroborates: boolean };
const level = (weight: number, evidence: string | null = null, corroborates = evidence !== null): Level => ({ weight, evidence, corroborates });

/** A typo in an address, or the same name at a mistyped domain; a shared common domain alone does not count. */
function similarEmail(a: string, b: string): boolean {
  if (levenshtein(a, b) <= 2) return true;
  const [la, da = ""] = a.split("@");
  const [lb, db = ""] = b.split("@");
  return jaroWinkler(la, lb) >= 0.88 && jaroWinkler(da, db) >= 0.85;
}

/** Days between two YYYYMMDD dates, or null when either is not one. */
function daysApart(a: string, b: string): number | null {
  const at = (d: string) => (/^\d{8}$/.test(d) ? Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) : NaN);
  const diff = Math.abs(at(a) - at(b)) / 86_400_000;
  return Number.isFinite(diff) ? diff : null;
}

/** Comparison levels of the fields besides names, best first. City alone is too common to corroborate a name. */
const FIELD_RULES: { field: keyof MatchRecord; compare: (a: string, b: string) => Level }[] = [
  {
    field: "birth",
    compare: (a, b) => {
      if (a === b) return level(WEIGHTS.birth.exact, "same birth date");
      if (birthTypo(a, b)) return level(WEIGHTS.birth.typo, "birth date one slip apart");
      const days = daysApart(a, b);
      if (days !== null && days <= 366) return level(WEIGHTS.birth.withinYear, "birth dates within a year", false);
      if (days !== null && days <= 3660) return level(WEIGHTS.birth.withinTenYears);
      return level(WEIGHTS.birth.differ);
    },
  },
  {
    field: "postcode",
    compare: (a, b) =>
      a === b ? level(WEIGHTS.postcode.exact, "same postcode") : levenshtein(a, b) <= 1 ? level(WEIGHTS.postcode.typo, "postcode one character apart") : level(WEIGHTS.postcode.differ),
  },
  {
    field: "city",
    compare: (a, b) => (a === b ? level(WEIGHTS.city.exact, "same city", false) : jaroWinkler(a, b) >= 0.9 ? level(WEIGHTS.city.close, "similar city", false) : level(WEIGHTS.city.differ)),
  },
  {
    field: "address",
    compare: (a, b) => (a === b ? level(WEIGHTS.address.exact, "same address") : jaroWinkler(a, b) >= 0.88 ? level(WEIGHTS.address.close, "similar address") : level(WEIGHTS.address.differ)),
  },
  {
    field: "email",
    compare: (a, b) => (a === b ? level(WEIGHTS.email.exact, "same email") : similarEmail(a, b) ? level(WEIGHTS.email.close, "similar email") : level(WEIGHTS.email.differ)),
  },
  {
    field: "loyalty",
    compare: (a, b) => (a === b ? level(WEIGHTS.loyalty.exact, "same loyalty ID") : levenshtein(a, b) <= 1 ? level(WEIGHTS.loyalty.typo, "loyalty ID one digit apart") : level(WEIGHTS.loyalty.differ)),
  },
];

const NAME_EVIDENCE = { exact: "same", close: "similar", fuzzy: "similar", differ: null } as const;

function bestOf<T>(xs: T[], ys: T[], compare: (x: T, y: T) => Level): Level | null {
  let best: Level | null = null;
  for (const x of xs) for (const y of ys) {
    const l = compare(x, y);
    if (!best || l.weight > best.weight) best = l;
  }
  return best;
}

const valuesOf = (records: MatchRecord[], field: keyof MatchRecord) => [...new Set(records.map((r) => r[field] as string).filter(Boolean))];

/**
 * Scores two profiles from all their records: each field at its best agreement between any two of
 * their values (a birth date known only to one source still counts). A name alone is never enough:
 * some other field (birth date, postcode, address, email or loyalty ID) must agree or nearly agree.
 */
export function scoreProfiles(a: MatchRecord[], b: MatchRecord[]): PairScore & { corroborated: boolean } {
  const evidence: string[] = [];
  const names = bestOf(a, b, (x, y) => {
    const n = namesWeight(x, y);
    const words = [n.first && NAME_EVIDENCE[n.first], n.last && NAME_EVIDENCE[n.last]].filter(Boolean);
    const text = words.length === 0 ? null : words.length === 2 && words.every((w) => w === "same") ? "same name" : "similar name";
    return level(n.weight, text, false);
  });
  let weight = PRIOR_WEIGHT + (names?.weight ?? 0);
  if (names?.evidence) evidence.push(names.evidence);
  let corroborated = false;
  for (const rule of FIELD_RULES) {
    const l = bestOf(valuesOf(a, rule.field), valuesOf(b, rule.field), rule.compare);
    if (!l) continue;
    weight += l.weight;
    if (l.evidence) evidence.push(l.evidence);
    corroborated ||= l.corroborates;
  }
  return { weight, probability: 1 / (1 + 2 ** -weight), evidence, corroborated };
}

export type Suggestion = { profileA: number; profileB: number; score: PairScore };

const pairKey = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Scores each candidate pair of profiles once, keeping those that reach the threshold. */
function scoreCandidates(candidates: Iterable<[number, number]>, recordsOf: (profileId: number) => MatchRecord[], settings: DuplicateSettings): Suggestion[] {
  const suggestions: Suggestion[] = [];
  for (const [x, y] of candidates) {
    const score = scoreProfiles(recordsOf(x), recordsOf(y));
    if (!score.corroborated || score.probability < settings.threshold) continue;
    const [profileA, profileB] = x < y ? [x, y] : [y, x];
    suggestions.push({ profileA, profileB, score: { weight: score.weight, probability: score.probability, evidence: score.evidence } });
  }
  return suggestions;
}

const recordColumns = {
  id: sourceCustomers.id,
  profileId: sourceCustomers.profileId,
  firstName: sourceCustomers.firstName,
  lastName: sourceCustomers.lastName,
  birthDate: sourceCustomers.birthDate,
  postcode: sourceCustomers.postcode,
  city: sourceCustomers.city,
  address: sourceCustomers.address,
  email: sourceCustomers.email,
  loyaltyId: sourceCustomers.loyaltyId,
};

/** Review lookups for queueing suggestions, prepared once per connection: ingest queues in every transaction. */
const reviewStatements = perConnection((db: Db) => ({
  // The profile itself and every profile merged into it: a "not the same person" decision follows merges.
  absorbedInto: db.select({ id: profiles.id }).from(profiles).where(eq(profiles.mergedInto, sql.placeholder("profileId"))).prepare(),
  // One ordered pair at a time, on the (profile_a, profile_b) index: an IN list over both columns led
  // SQLite to walk every open item by status, and the queue grows with the store.
  reviewed: db
    .select({ id: reviewQueue.id })
    .from(reviewQueue)
    .where(and(eq(reviewQueue.profileA, sql.placeholder("a")), eq(reviewQueue.profileB, sql.placeholder("b")), inArray(reviewQueue.status, ["open", "rejected"])))
    .limit(1)
    .prepare(),
  insertSuggestion: db
    .insert(reviewQueue)
    .values({
      kind: "possible_duplicate",
      profileA: sql.placeholder("profileA"),
      profileB: sql.placeholder("profileB"),
      score: sql.placeholder("score"),
      reason: sql.placeholder("reason"),
      createdAt: sql.placeholder("now"),
    })
    .prepare(),
}));

/** Whether the two profiles were already put to review (open, or decided "not the same person"). */
export function pairAlreadyReviewed(db: Db, profileA: number, profileB: number): boolean {
  const { absorbedInto, reviewed } = reviewStatements(db);
  const withAbsorbed = (profileId: number) => [profileId, ...absorbedInto.all({ profileId }).map((p) => p.id)];
  const a = withAbsorbed(profileA);
  const b = withAbsorbed(profileB);
  return a.some((x) => b.some((y) => reviewed.get({ a: x, b: y }) !== undefined || reviewed.get({ a: y, b: x }) !== undefined));
}

function queue(db: Db, suggestions: Iterable<Suggestion>, now: number): number {
  const { insertSuggestion } = reviewStatements(db);
  let queued = 0;
  for (const s of suggestions) {
    if (pairAlreadyReviewed(db, s.profileA, s.profileB)) continue;
    insertSuggestion.run({
      profileA: s.profileA,
      profileB: s.profileB,
      score: Math.round(s.score.probability * 1000) / 1000,
      reason: s.score.evidence.join(", ") || "similar records",
      now,
    });
    queued++;
  }
  return queued;
}

export type DuplicatePassResult = { records: number; comparisons: number; skippedBlocks: number; suggested: number; queued: number };

/**
 * The batch pass: rebuilds every record's blocking keys, compares the profiles whose records share
 * a key and queues those that look like one person. Safe to run again: known pairs are skipped.
 */
export function findPossibleDuplicates(db: Db, settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS, now = Date.now()): DuplicatePassResult {
  const records = db.select(recordColumns).from(sourceCustomers).all().map(toMatchRecord);
  const blocks = new Map<string, MatchRecord[]>();
  const byProfile = new Map<number, MatchRecord[]>();
  for (const r of records) {
    const own = byProfile.get(r.profileId);
    if (own) own.push(r);
    else byProfile.set(r.profileId, [r]);
    for (const key of blockingKeys(r)) {
      const block = blocks.get(key);
      if (block) block.push(r);
      else blocks.set(key, [r]);
    }
  }
  let skippedBlocks = 0;
  const candidates = new Map<string, [number, number]>();
  for (const block of blocks.values()) {
    if (block.length > settings.maxBlockSize) {
      skippedBlocks++;
      continue;
    }
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const [x, y] = [block[i].profileId, block[j].profileId];
        if (x !== y) candidates.set(pairKey(x, y), [x, y]);
      }
    }
  }
  const suggestions = scoreCandidates(candidates.values(), (id) => byProfile.get(id)!, settings);
  const queued = inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- the full pass rebuilds every block key
    db.delete(matchKeys).run();
    const insert = db.$client.prepare("insert or ignore into match_keys (key, source_record_id) values (?, ?)");
    for (const [key, block] of blocks) for (const r of block) insert.run(key, r.id);
    return queue(db, suggestions, now);
  });
  return { records: records.length, comparisons: candidates.size, skippedBlocks, suggested: suggestions.length, queued };
}

const FULL_BLOCKS_REMEMBERED = 100_000;

/** Ingest runs the incremental pass in every transaction: its statements are prepared once per connection. */
const incrementalStatements = perConnection((db: Db) => ({
  // A block's records up to the limit, on the key's covering index: a block that answers that many
  // is full, and the same walk that found out gives the records of one that is not.
  recordsInBlock: db.$client.prepare<[string, number], number>("select source_record_id from match_keys where key = ? limit ?").pluck(),
  profileOfRecord: db.$client.prepare<[number], number>("select profile_id from source_customers where id = ?").pluck(),
  /** Blocks only grow (but for an erasure), so one found full is skipped without asking again. */
  fullBlocks: new Set<string>(),
  insertKey: db.$client.prepare<[string, number]>("insert or ignore into match_keys (key, source_record_id) values (?, ?)"),
  deleteKeys: db.$client.prepare<[number]>("delete from match_keys where source_record_id = ?"),
  record: db.select(recordColumns).from(sourceCustomers).where(eq(sourceCustomers.id, sql.placeholder("id"))).prepare(),
  recordsOfProfile: db.select(recordColumns).from(sourceCustomers).where(eq(sourceCustomers.profileId, sql.placeholder("profileId"))).prepare(),
}));

/**
 * The incremental pass runs inside every ingest transaction, so it compares less than the batch
 * pass: blocks of fewer records, and only records met in two of the record's blocks (one person's
 * records share two of name sound, birth date or year, postcode, city and email; strangers in one
 * block rarely do). The batch pass (`npm run identity:duplicates`, nightly) covers the rest. At a
 * quarter of a million records the full comparison cost 4 ms a record and slowed imports fourfold.
 */
export const INCREMENTAL_MAX_BLOCK = 50;
const MIN_SHARED_BLOCKS = 2;

/**
 * The incremental pass for records just ingested: stores their blocking keys and compares their
 * profiles with those of the records already in their blocks (index lookups, no scan). Call after
 * the records' own transaction.
 */
export function findDuplicatesOf(db: Db, recordIds: number[], settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS, now = Date.now()): number {
  if (recordIds.length === 0) return 0;
  const { recordsInBlock, profileOfRecord, fullBlocks, insertKey, deleteKeys, recordsOfProfile, record } = incrementalStatements(db);
  const maxBlock = Math.min(settings.maxBlockSize, INCREMENTAL_MAX_BLOCK);
  /** The records in the block, or null when it is too big to compare within. */
  const recordsIn = (key: string): number[] | null => {
    if (fullBlocks.has(key)) return null;
    const found = recordsInBlock.all(key, maxBlock);
    if (found.length < maxBlock) return found;
    if (fullBlocks.size >= FULL_BLOCKS_REMEMBERED) fullBlocks.clear();
    fullBlocks.add(key);
    return null;
  };
  const cache = new Map<number, MatchRecord[]>();
  const recordsOf = (profileId: number) => {
    let rs = cache.get(profileId);
    if (!rs) cache.set(profileId, (rs = recordsOfProfile.all({ profileId }).map(toMatchRecord)));
    return rs;
  };
  return inTransaction(db, () => {
    const candidates = new Map<string, [number, number]>();
    for (const id of recordIds) {
      const raw = record.get({ id });
      if (!raw) continue;
      const r = toMatchRecord(raw);
      deleteKeys.run(r.id);
      // Blocks in common counted per record, on the key index alone: only a record met in two of
      // them is read for its profile.
      const sharedBlocks = new Map<number, number>();
      for (const key of blockingKeys(r)) {
        const inBlock = recordsIn(key);
        if (inBlock) for (const other of inBlock) if (other !== r.id) sharedBlocks.set(other, (sharedBlocks.get(other) ?? 0) + 1);
        insertKey.run(key, r.id);
      }
      for (const [other, shared] of sharedBlocks) {
        if (shared < MIN_SHARED_BLOCKS) continue;
        const profileId = profileOfRecord.get(other);
        if (profileId !== undefined && profileId !== r.profileId) candidates.set(pairKey(r.profileId, profileId), [r.profileId, profileId]);
      }
    }
    return queue(db, scoreCandidates(candidates.values(), recordsOf, settings), now);
  });
}
