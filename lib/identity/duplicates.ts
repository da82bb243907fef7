import { and, eq, inArray, or } from "drizzle-orm";
import { distance as levenshtein } from "fastest-levenshtein";
import jaroWinkler from "talisman/metrics/jaro-winkler.js";
import doubleMetaphone from "talisman/phonetics/double-metaphone.js";
import { type Db, inTransaction } from "@/db/client";
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
  birth: { exact: 10, typo: 4, differ: -6 },
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

const NAME_EVIDENCE = { exact: "same", close: "similar", fuzzy: "similar", differ: null } as const;

export function scorePair(a: MatchRecord, b: MatchRecord): PairScore {
  const evidence: string[] = [];
  const names = namesWeight(a, b);
  let weight = PRIOR_WEIGHT + names.weight;
  const nameWords = [names.first && NAME_EVIDENCE[names.first], names.last && NAME_EVIDENCE[names.last]].filter(Boolean);
  if (nameWords.length) evidence.push(nameWords.every((w) => w === "same") && nameWords.length === 2 ? "same name" : "similar name");

  if (a.birth && b.birth) {
    if (a.birth === b.birth) (weight += WEIGHTS.birth.exact), evidence.push("same birth date");
    else if (birthTypo(a.birth, b.birth)) (weight += WEIGHTS.birth.typo), evidence.push("birth date one slip apart");
    else weight += WEIGHTS.birth.differ;
  }
  if (a.postcode && b.postcode) {
    if (a.postcode === b.postcode) (weight += WEIGHTS.postcode.exact), evidence.push("same postcode");
    else if (levenshtein(a.postcode, b.postcode) <= 1) (weight += WEIGHTS.postcode.typo), evidence.push("postcode one character apart");
    else weight += WEIGHTS.postcode.differ;
  }
  if (a.city && b.city) {
    if (a.city === b.city) (weight += WEIGHTS.city.exact), evidence.push("same city");
    else if (jaroWinkler(a.city, b.city) >= 0.9) (weight += WEIGHTS.city.close), evidence.push("similar city");
    else weight += WEIGHTS.city.differ;
  }
  if (a.address && b.address) {
    const jw = a.address === b.address ? 1 : jaroWinkler(a.address, b.address);
    if (jw === 1) (weight += WEIGHTS.address.exact), evidence.push("same address");
    else if (jw >= 0.88) (weight += WEIGHTS.address.close), evidence.push("similar address");
    else weight += WEIGHTS.address.differ;
  }
  if (a.email && b.email) {
    if (a.email === b.email) (weight += WEIGHTS.email.exact), evidence.push("same email");
    else if (jaroWinkler(a.email, b.email) >= 0.88) (weight += WEIGHTS.email.close), evidence.push("similar email");
    else weight += WEIGHTS.email.differ;
  }
  if (a.loyalty && b.loyalty) {
    if (a.loyalty === b.loyalty) (weight += WEIGHTS.loyalty.exact), evidence.push("same loyalty ID");
    else if (levenshtein(a.loyalty, b.loyalty) <= 1) (weight += WEIGHTS.loyalty.typo), evidence.push("loyalty ID one digit apart");
    else weight += WEIGHTS.loyalty.differ;
  }
  return { weight, probability: 1 / (1 + 2 ** -weight), evidence };
}

export type Suggestion = { profileA: number; profileB: number; score: PairScore; recordA: number; recordB: number };

const pairKey = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The best-scoring record pair for each two profiles, among pairs that reach the threshold. */
function bestPerProfilePair(pairs: Iterable<[MatchRecord, MatchRecord]>, settings: DuplicateSettings): Map<string, Suggestion> {
  const best = new Map<string, Suggestion>();
  for (const [a, b] of pairs) {
    if (a.profileId === b.profileId) continue;
    const score = scorePair(a, b);
    if (score.probability < settings.threshold) continue;
    const key = pairKey(a.profileId, b.profileId);
    const known = best.get(key);
    if (known && known.score.weight >= score.weight) continue;
    const [x, y] = a.profileId < b.profileId ? [a, b] : [b, a];
    best.set(key, { profileA: x.profileId, profileB: y.profileId, score, recordA: x.id, recordB: y.id });
  }
  return best;
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

/** The profile itself and every profile merged into it: a "not the same person" decision follows merges. */
function withAbsorbed(db: Db, profileId: number): number[] {
  return [profileId, ...db.select({ id: profiles.id }).from(profiles).where(eq(profiles.mergedInto, profileId)).all().map((p) => p.id)];
}

/** Whether the two profiles were already put to review (open, or decided "not the same person"). */
export function pairAlreadyReviewed(db: Db, profileA: number, profileB: number): boolean {
  const a = withAbsorbed(db, profileA);
  const b = withAbsorbed(db, profileB);
  return !!db
    .select({ id: reviewQueue.id })
    .from(reviewQueue)
    .where(
      and(
        inArray(reviewQueue.status, ["open", "rejected"]),
        or(and(inArray(reviewQueue.profileA, a), inArray(reviewQueue.profileB, b)), and(inArray(reviewQueue.profileA, b), inArray(reviewQueue.profileB, a))),
      ),
    )
    .get();
}

function queue(db: Db, suggestions: Iterable<Suggestion>, now: number): number {
  let queued = 0;
  for (const s of suggestions) {
    if (pairAlreadyReviewed(db, s.profileA, s.profileB)) continue;
    db.insert(reviewQueue)
      .values({
        kind: "possible_duplicate",
        profileA: s.profileA,
        profileB: s.profileB,
        score: Math.round(s.score.probability * 1000) / 1000,
        reason: s.score.evidence.join(", ") || "similar records",
        createdAt: now,
      })
      .run();
    queued++;
  }
  return queued;
}

export type DuplicatePassResult = { records: number; comparisons: number; skippedBlocks: number; suggested: number; queued: number };

/**
 * The batch pass: rebuilds every record's blocking keys, compares the records that share a key and
 * queues the pairs of profiles that look like one person. Safe to run again: known pairs are skipped.
 */
export function findPossibleDuplicates(db: Db, settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS, now = Date.now()): DuplicatePassResult {
  const records = db.select(recordColumns).from(sourceCustomers).all().map(toMatchRecord);
  const blocks = new Map<string, MatchRecord[]>();
  for (const r of records) {
    for (const key of blockingKeys(r)) {
      const block = blocks.get(key);
      if (block) block.push(r);
      else blocks.set(key, [r]);
    }
  }
  let comparisons = 0;
  let skippedBlocks = 0;
  const seen = new Set<string>();
  function* candidatePairs(): Generator<[MatchRecord, MatchRecord]> {
    for (const block of blocks.values()) {
      if (block.length > settings.maxBlockSize) {
        skippedBlocks++;
        continue;
      }
      for (let i = 0; i < block.length; i++) {
        for (let j = i + 1; j < block.length; j++) {
          if (block[i].profileId === block[j].profileId) continue;
          const key = pairKey(block[i].id, block[j].id);
          if (seen.has(key)) continue;
          seen.add(key);
          comparisons++;
          yield [block[i], block[j]];
        }
      }
    }
  }
  const best = bestPerProfilePair(candidatePairs(), settings);
  const queued = inTransaction(db, () => {
    db.delete(matchKeys).run();
    const insert = db.$client.prepare("insert or ignore into match_keys (key, source_record_id) values (?, ?)");
    for (const [key, block] of blocks) for (const r of block) insert.run(key, r.id);
    return queue(db, best.values(), now);
  });
  return { records: records.length, comparisons, skippedBlocks, suggested: best.size, queued };
}

/**
 * The incremental pass for records just ingested: stores their blocking keys and compares each with
 * the records already in its blocks (index lookups, no scan). Call after the records' transaction.
 */
export function findDuplicatesOf(db: Db, recordIds: number[], settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS, now = Date.now()): number {
  if (recordIds.length === 0) return 0;
  const blockSize = db.$client.prepare<[string, number], { n: number }>("select count(*) as n from (select 1 from match_keys where key = ? limit ?)");
  const members = db.$client.prepare<[string], { id: number }>("select source_record_id as id from match_keys where key = ?");
  const insertKey = db.$client.prepare("insert or ignore into match_keys (key, source_record_id) values (?, ?)");
  return inTransaction(db, () => {
    const pairs: [MatchRecord, MatchRecord][] = [];
    for (let i = 0; i < recordIds.length; i += 500) {
      const batch = db.select(recordColumns).from(sourceCustomers).where(inArray(sourceCustomers.id, recordIds.slice(i, i + 500))).all().map(toMatchRecord);
      for (const record of batch) {
        db.delete(matchKeys).where(eq(matchKeys.sourceRecordId, record.id)).run();
        const others = new Set<number>();
        for (const key of blockingKeys(record)) {
          if (blockSize.get(key, settings.maxBlockSize + 1)!.n < settings.maxBlockSize) for (const m of members.all(key)) others.add(m.id);
          insertKey.run(key, record.id);
        }
        others.delete(record.id);
        const ids = [...others];
        for (let j = 0; j < ids.length; j += 500) {
          const rows = db.select(recordColumns).from(sourceCustomers).where(inArray(sourceCustomers.id, ids.slice(j, j + 500))).all();
          for (const other of rows) pairs.push([record, toMatchRecord(other)]);
        }
      }
    }
    return queue(db, bestPerProfilePair(pairs, settings).values(), now);
  });
}
