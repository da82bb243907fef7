import { and, eq, inArray, isNotNull, max, or, sql } from "drizzle-orm";
import { formatProbability } from "./probability";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { erasures, matchKeys, mergeEvents, profiles, reviewQueue } from "@/db/schema";
import { blockCap, blockingKeys } from "./blocking";
import { type IngestContext, createIngestContext, mergeProfiles, refreshGolden } from "./ingest";
import {
  type GuardConflict,
  type MatchModel,
  type MatchRecord,
  type ProfileMatch,
  evidenceOf,
  guardConflict,
  scoreProfiles,
  toMatchRecord,
  weighsDisagreements,
} from "./match-model";
import { recordGroups, splitRecords } from "./merge";
import { insertBlockingKeys, insertReviewSuggestion, keptApart, overSharedIdentifiers, rawMatchRecords } from "./queries";
import { type Candidate, type ResolverLookups, candidateProfiles, odds, reviewReason, sharedClaim, sqlLookups, withoutValues } from "./resolve";
import type { Identifier, IdentitySettings } from "./normalize";
import { loadIdentitySettings, loadMatchModel } from "./settings";

/**
 * The full pass (`npm run identity:duplicates`, nightly): first each profile's records are checked
 * to still belong together (looseGroup), then every record's blocks rebuilt, every candidate pair of
 * profiles scored by the match model, the pairs at or above the automatic threshold merged
 * (strongest first, guard rails checked against everything already joined), the likely ones below
 * it queued for review. Safe to run again: known pairs are skipped.
 */

export type DuplicatePassOptions = {
  /** A blocking key shared by more records than this is too common to tell anyone apart and is skipped. */
  maxBlockSize: number;
  /** Only count what would happen; write nothing (the thresholds' dry run). */
  dryRun?: boolean;
  /** Thresholds to use instead of the stored ones (a dry run of a change). */
  thresholds?: { automatic: number; review: number };
};

export const DEFAULT_DUPLICATE_OPTIONS: DuplicatePassOptions = { maxBlockSize: 200 };

/** Review lookups for queueing suggestions, prepared once per connection. */
const reviewStatements = perConnection((db: Db) => ({
  // The profile itself and every profile merged into it: a "not the same person" decision follows merges.
  absorbedInto: db
    .select({ id: profiles.id })
    .from(profiles)
    .where(eq(profiles.mergedInto, sql.placeholder("profileId")))
    .prepare(),
  // One ordered pair at a time, on the (profile_a, profile_b) index: an IN list over both columns led
  // SQLite to walk every open item by status, and the queue grows with the store.
  reviewed: db
    .select({ id: reviewQueue.id })
    .from(reviewQueue)
    .where(
      and(eq(reviewQueue.profileA, sql.placeholder("a")), eq(reviewQueue.profileB, sql.placeholder("b")), inArray(reviewQueue.status, ["open", "rejected"])),
    )
    .limit(1)
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

/** Queues a likely pair for review once (open or decided pairs are skipped); 1 when queued. */
export function queueForReview(db: Db, profileA: number, profileB: number, c: Pick<Candidate, "probability" | "evidence" | "conflict">, now: number): number {
  if (profileA === profileB || pairAlreadyReviewed(db, profileA, profileB)) return 0;
  const [a, b] = profileA < profileB ? [profileA, profileB] : [profileB, profileA];
  insertReviewSuggestion(db, {
    profileA: a,
    profileB: b,
    score: c.probability,
    reason: reviewReason(c),
    evidence: JSON.stringify(c.evidence),
    now,
  });
  return 1;
}

export type DuplicatePassResult = {
  records: number;
  comparisons: number;
  skippedBlocks: number;
  /** Groups of records split off profiles they no longer belong to (looseGroup). */
  split: number;
  merged: number;
  queued: number;
};

type Decision = Candidate & { a: number; b: number; best: [MatchRecord, MatchRecord] };

/** The blocks a record is in for the full pass: its blocking keys, and its email, phone and card. */
function candidateKeys(r: MatchRecord): string[] {
  const keys = blockingKeys(r);
  if (r.email) keys.push(`E:${r.email}`);
  if (r.phone) keys.push(`P:${r.phone}`);
  if (r.loyalty) keys.push(`L:${r.loyalty}`);
  return keys;
}

/** The record's email, phone and card, as identifiers. */
function identifiersOf(r: MatchRecord): Identifier[] {
  const out: Identifier[] = [];
  if (r.email) out.push({ type: "email", value: r.email });
  if (r.phone) out.push({ type: "phone", value: r.phone });
  if (r.loyalty) out.push({ type: "loyalty", value: r.loyalty });
  return out;
}

/** The records of a profile tied to each other by an email, phone or card (recordGroups), each as a list; the profile's first record's group first. */
function identifierGroups(records: MatchRecord[]): MatchRecord[][] {
  const links = records.flatMap((r) => identifiersOf(r).map((id) => ({ recordId: r.id, ...id })));
  const groupOf = recordGroups(
    records.map((r) => r.id),
    links,
  );
  const groups = new Map<number, MatchRecord[]>();
  for (const r of [...records].sort((a, b) => a.id - b.id)) {
    const g = groupOf.get(r.id)!;
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(r);
  }
  return [...groups.values()];
}

/** Another profile that may claim a group of records; `rejected`: a person said it is not the same person as the group's profile. */
export type Rival = { records: MatchRecord[]; rejected: () => boolean };

/** Records of a profile the rest would not hold: their match against the rest, and its probability (with rivals' claims shared). */
type LooseGroup = { records: MatchRecord[]; match: ProfileMatch; probability: number };

/**
 * The group of a profile's records that the match model would not have put with the rest had they
 * all come at once, if any: the least likely one, scored against all the others, below the
 * automatic threshold. A record joins on what it and the profile hold when it arrives, and what
 * comes later can tell against it: a namesake's till record joins on name and postcode alone, then
 * his own loyalty record follows it on his card, born sixteen years apart from the profile's
 * customer. The group with the profile's first record stays.
 *
 * What comes later can also be another claimant: a till record holding only a name and a postcode
 * joins the one customer of that name there, then the other customer of that name at that postcode
 * arrives, and claims it as strongly. `rivals` gives the other profiles a group's records share a
 * block with; each whose own claim would have joined it automatically, and that is not the rest's
 * own person, shares the group's claim as at ingest (sharedClaim in resolve.ts), and a group the
 * rest no longer surely holds is split off too. A weaker claim (the same name in the same town) does
 * not undo a join: the pair pass below puts it to a person where it is likely.
 */
export function looseGroup(
  model: MatchModel,
  records: MatchRecord[],
  automatic: number,
  rivals: (group: MatchRecord[]) => Rival[] = () => [],
): LooseGroup | null {
  if (records.length < 2) return null;
  const groups = identifierGroups(records);
  let loosest: LooseGroup | null = null;
  for (const group of groups.slice(1)) {
    const rest = records.filter((r) => !group.includes(r));
    const match = scoreProfiles(model, group, rest)!;
    let probability = match.best.probability;
    if (probability >= automatic) {
      let rivalOdds = 0;
      for (const other of rivals(group)) {
        const claim = scoreProfiles(model, group, other.records)!.best.probability;
        if (claim >= automatic && !other.rejected()) rivalOdds += odds(claim) * (1 - scoreProfiles(model, rest, other.records)!.best.probability);
      }
      probability = sharedClaim(probability, rivalOdds);
    }
    if (probability < automatic && (!loosest || probability < loosest.probability)) loosest = { records: group, match, probability };
  }
  return loosest ?? looseUnion(model, records, groups, automatic);
}

/** Beyond this many groups besides the first, only single groups are weighed (2^n − 1 unions). */
const MAX_UNION_GROUPS = 6;

/**
 * Where every single group holds, the smallest union of groups (the least likely of that size) that
 * the rest would not hold: one person's records can hold each other in. A namesake's web account
 * joins on name and birth date against different emails, phones and postcodes; his till record, with
 * only his name and postcode, then sits with it. Each alone is held by the other's agreement, but
 * the two together against the first customer's records are what the model would have weighed had
 * everything come at once.
 */
function looseUnion(model: MatchModel, records: MatchRecord[], groups: MatchRecord[][], automatic: number): LooseGroup | null {
  const others = groups.slice(1);
  if (others.length < 2 || others.length > MAX_UNION_GROUPS) return null;
  const masks = Array.from({ length: 2 ** others.length - 1 }, (_, i) => i + 1);
  for (let size = 2; size <= others.length; size++) {
    let loosest: LooseGroup | null = null;
    for (const mask of masks.filter((m) => bitCount(m) === size)) {
      const union = others.flatMap((g, i) => (mask & (1 << i) ? g : []));
      const match = scoreProfiles(
        model,
        union,
        records.filter((r) => !union.includes(r)),
      )!;
      const probability = match.best.probability;
      if (probability < automatic && (!loosest || probability < loosest.probability)) loosest = { records: union, match, probability };
    }
    if (loosest) return loosest;
  }
  return null;
}

function bitCount(n: number): number {
  let count = 0;
  for (let m = n; m; m &= m - 1) count++;
  return count;
}

/** A group of a profile's records the split check (looseGroup) takes off it. */
export type LooseSplit = LooseGroup & { from: number };

/**
 * The split check for one profile on what resolution reads (the store, or a bulk load's memory),
 * its rivals found as resolution finds candidates. A load runs it on the profiles it added records
 * to: a namesake's till record that joined on a name and a postcode, then his own card born nine
 * years apart, is weighed the day the card arrives, not at the next nightly pass.
 */
export function looseGroupOf(s: ResolverLookups, settings: IdentitySettings, model: MatchModel, profileId: number): LooseSplit | null {
  const stored = s.recordsOfProfile(profileId);
  // Records tied by an identifier stay together: a profile of one such group has nothing to split.
  if (stored.length < 2 || identifierGroups(stored).length < 2) return null;
  // Identifiers held by more profiles than the cap weigh nothing, as at ingest.
  const neutral: Identifier[] = [];
  const claimants = new Map<number, Set<number>>();
  for (const r of stored) {
    const { candidates, overShared } = candidateProfiles(s, settings, r, identifiersOf(r), profileId);
    claimants.set(r.id, candidates);
    neutral.push(...overShared.map((o) => o.id));
  }
  const records = (p: number) => s.recordsOfProfile(p).map((r) => withoutValues(r, neutral));
  const rivals = (group: MatchRecord[]) =>
    [...new Set(group.flatMap((r) => [...claimants.get(r.id)!]))].map((p): Rival => ({ records: records(p), rejected: () => s.keptApart(profileId, p) }));
  const loose = looseGroup(model, records(profileId), settings.matchThresholds.automatic, rivals);
  return loose && { from: profileId, ...loose };
}

// Split though the rest alone would surely hold it: another profile claims it as well.
const contested = (x: LooseSplit, automatic: number) => x.match.best.probability >= automatic;

/** Splits the group off its profile as the match model's decision (not "kept apart"); the new profile's ID. */
function splitOff(db: Db, model: MatchModel, x: LooseSplit, automatic: number, pass: string, now: number): number {
  const why = contested(x, automatic) ? "another customer claims these records as strongly" : "these records do not belong with the rest";
  const cause = `match model, ${pass}: ${why} (${formatProbability(x.probability)})`;
  const ids = x.records.map((r) => r.id);
  return splitRecords(db, x.from, ids, { staffId: null, cause }, now, { evidence: evidenceOf(model, x.match.best), keepApart: false }).newProfileId;
}

/** A split pair as a review item: on the split's own evidence, held back by the rival claim where the rest alone would have held it. */
function splitReview(model: MatchModel, x: LooseSplit, automatic: number): Pick<Candidate, "probability" | "evidence" | "conflict"> {
  return { probability: x.match.best.probability, evidence: evidenceOf(model, x.match.best), conflict: contested(x, automatic) ? "another_customer" : null };
}

/**
 * After a load: splits off the groups looseGroupOf found (on the store as the load left it), each
 * put to a person where the model finds it likely, as the nightly pass does. One transaction.
 */
export function splitLooseGroups(
  db: Db,
  model: MatchModel,
  settings: IdentitySettings,
  splits: LooseSplit[],
  now = Date.now(),
): { split: number; queued: number } {
  const { automatic, review } = settings.matchThresholds;
  return inTransaction(db, () => {
    let queued = 0;
    for (const x of splits) {
      const to = splitOff(db, model, x, automatic, "after the load", now);
      if (x.match.best.probability >= review) queued += queueForReview(db, x.from, to, splitReview(model, x, automatic), now);
    }
    return { split: splits.length, queued };
  });
}

/**
 * The end of an incremental load (an API batch, an import, the demo): the profiles its records
 * joined get the split check on the store as the load left it (looseGroupsOf), and what it finds is
 * split off (splitLooseGroups). The bulk path does the same (BulkLoad.looseGroups).
 */
export function settleJoins(ctx: IngestContext): { split: number; queued: number } {
  const { db, settings, model } = ctx;
  const joins = ctx.joins.splice(0);
  if (joins.length === 0) return { split: 0, queued: 0 };
  const lookups = sqlLookups(ctx);
  // A record a rolled-back savepoint took out again is no longer there.
  const joined = joins.map((id) => lookups.profileOfRecord(id)).filter((p) => p !== undefined);
  return splitLooseGroups(db, model, settings, looseGroupsOf(lookups, settings, model, joined, leftAlone(db)), ctx.now());
}

/** looseGroupOf over the profiles a load added records to, each once, in ID order, but for those `decided` (leftAlone). */
export function looseGroupsOf(s: ResolverLookups, settings: IdentitySettings, model: MatchModel, profileIds: number[], decided: Set<number>): LooseSplit[] {
  const out: LooseSplit[] = [];
  for (const p of [...new Set(profileIds)].sort((a, b) => a - b)) {
    if (decided.has(p)) continue;
    const loose = looseGroupOf(s, settings, model, p);
    if (loose) out.push(loose);
  }
  return out;
}

export function findPossibleDuplicates(db: Db, options: DuplicatePassOptions = DEFAULT_DUPLICATE_OPTIONS, now = Date.now()): DuplicatePassResult {
  const settings = loadIdentitySettings(db);
  const model = loadMatchModel(db);
  const thresholds = options.thresholds ?? settings.matchThresholds;
  // Over-shared identifiers (more owners than the cap) weigh nothing, as at ingest.
  const neutral = overSharedIdentifiers(db, settings.maxProfilesPerIdentifier);
  const records = rawMatchRecords(db).map((r) => {
    const m = toMatchRecord(r, settings);
    if (m.email && neutral.has(`email:${m.email}`)) m.email = "";
    if (m.phone && neutral.has(`phone:${m.phone}`)) m.phone = "";
    if (m.loyalty && neutral.has(`loyalty:${m.loyalty}`)) m.loyalty = "";
    return m;
  });
  const byProfile = new Map<number, MatchRecord[]>();
  const blocks = new Map<string, MatchRecord[]>();
  for (const r of records) {
    const own = byProfile.get(r.profileId);
    if (own) own.push(r);
    else byProfile.set(r.profileId, [r]);
    for (const key of candidateKeys(r)) {
      const block = blocks.get(key);
      if (block) block.push(r);
      else blocks.set(key, [r]);
    }
  }
  // Loose groups split off first, under the IDs their new profiles will get, so the pairs below see them.
  const splits: (LooseSplit & { to: number })[] = [];
  const decided = leftAlone(db);
  let nextId = largestProfileId(db);
  /** The profiles, as `accept` takes them, that the records share a block with (over-large blocks skipped). */
  const blockNeighbours = (records: MatchRecord[], accept: (profileId: number) => boolean) => {
    const others = new Set<number>();
    for (const r of records) {
      for (const key of candidateKeys(r)) {
        const block = blocks.get(key)!;
        if (block.length > blockCap(key, options.maxBlockSize)) continue;
        for (const other of block) if (accept(other.profileId)) others.add(other.profileId);
      }
    }
    return others;
  };
  const rivalsOf = (profileId: number) => (group: MatchRecord[]) =>
    [...blockNeighbours(group, (p) => p !== profileId)].map((p): Rival => ({ records: byProfile.get(p)!, rejected: () => keptApart(db, profileId, p) }));
  for (const [profileId, own] of [...byProfile]) {
    if (decided.has(profileId)) continue;
    const loose = looseGroup(model, own, thresholds.automatic, rivalsOf(profileId));
    if (!loose) continue;
    const to = ++nextId;
    for (const r of loose.records) r.profileId = to;
    byProfile.set(
      profileId,
      own.filter((r) => r.profileId === profileId),
    );
    byProfile.set(to, loose.records);
    splits.push({ from: profileId, to, ...loose });
  }
  let skippedBlocks = 0;
  for (const [key, block] of blocks) if (block.length > blockCap(key, options.maxBlockSize)) skippedBlocks++;
  // Profile by profile, each pair once (from its lower ID): a set of every candidate pair of a
  // chain's million profiles would not fit in memory.
  let comparisons = 0;
  const decisions: Decision[] = [];
  for (const [a, own] of byProfile) {
    const others = blockNeighbours(own, (p) => p > a);
    comparisons += others.size;
    for (const b of others) {
      const match = scoreProfiles(model, own, byProfile.get(b)!);
      if (!match || match.best.probability < thresholds.review) continue;
      decisions.push({
        a,
        b,
        profileId: b,
        probability: match.best.probability,
        evidence: evidenceOf(model, match.best),
        conflict: null,
        best: [match.a, match.b],
      });
    }
  }
  decisions.sort((x, y) => y.probability - x.probability || x.a - y.a || x.b - y.b);

  // Strongest first, as clusters: each merge is checked against everything its two sides already hold.
  const root = new Map<number, number>();
  const find = (p: number): number => {
    let r = p;
    while (root.has(r)) r = root.get(r)!;
    return r;
  };
  const members = (r: number) => byProfile.get(r)!;
  // The profiles each cluster of this pass holds: a person's decision about any of them holds for it.
  const clusterProfiles = new Map<number, number[]>();
  const profilesOf = (r: number) => clusterProfiles.get(r) ?? [r];
  const apart = (ra: number, rb: number) => profilesOf(ra).some((x) => profilesOf(rb).some((y) => keptApart(db, x, y)));
  const merges: { survivor: number; absorbed: number; decision: Decision }[] = [];
  const reviews: Decision[] = [];
  const weighed = weighsDisagreements(model);
  const claims = new Map<number, Decision[]>();
  for (const d of decisions) for (const p of [d.a, d.b]) (claims.get(p) ?? claims.set(p, []).get(p)!).push(d);
  // As at ingest (resolve.ts): a profile claimed by two that are not one person is shared between them.
  const sharedProbability = (d: Decision, ra: number, rb: number) => {
    const together = [...members(ra), ...members(rb)];
    // How likely each rival cluster is the pair's person, once however many claims lead to it.
    const samePerson = new Map<number, number>();
    const sameAs = (x: number) => {
      let p = samePerson.get(x);
      if (p === undefined) {
        p = apart(ra, x) || apart(rb, x) ? 0 : scoreProfiles(model, together, members(x))!.best.probability;
        samePerson.set(x, p);
      }
      return p;
    };
    let probability = d.probability;
    for (const side of [d.a, d.b]) {
      let rivals = 0;
      for (const e of claims.get(side)!) {
        const x = find(e.a === side ? e.b : e.a);
        // A claim a person turned down ("not the same person") is no rival.
        if (x === ra || x === rb || keptApart(db, e.a, e.b)) continue;
        rivals += odds(e.probability) * (1 - sameAs(x));
      }
      probability = Math.min(probability, sharedClaim(d.probability, rivals));
    }
    return probability;
  };
  for (const d of decisions) {
    const [ra, rb] = [find(d.a), find(d.b)];
    if (ra === rb) continue;
    let conflict: GuardConflict | null = guardConflict(members(ra), members(rb), d.best, weighed);
    const keptApartByStaff = apart(ra, rb);
    if (d.probability >= thresholds.automatic && !conflict && !keptApartByStaff && sharedProbability(d, ra, rb) < thresholds.automatic)
      conflict = "another_customer";
    if (d.probability >= thresholds.automatic && !conflict && !keptApartByStaff) {
      const [survivor, absorbed] = ra < rb ? [ra, rb] : [rb, ra];
      root.set(absorbed, survivor);
      byProfile.set(survivor, [...members(survivor), ...members(absorbed)]);
      clusterProfiles.set(survivor, [...profilesOf(survivor), ...profilesOf(absorbed)]);
      merges.push({ survivor, absorbed, decision: d });
    } else if (!keptApartByStaff) reviews.push({ ...d, conflict: d.probability >= thresholds.automatic ? conflict : null });
  }
  // A split group the model finds likely, though not surely, the same person is put to a person, as at
  // ingest, on the split's own evidence (its pair may also have come up among the candidate pairs).
  const splitReviews = splits.filter((x) => x.match.best.probability >= thresholds.review && find(x.from) !== find(x.to));
  const splitPairs = new Set(splits.map((x) => `${x.from}:${x.to}`));
  const pairReviews = reviews.filter((d) => !splitPairs.has(`${d.a}:${d.b}`) && !splitPairs.has(`${d.b}:${d.a}`));
  if (options.dryRun) {
    const queued = pairReviews.filter((d) => find(d.a) !== find(d.b) && !pairAlreadyReviewed(db, find(d.a), find(d.b))).length;
    return { records: records.length, comparisons, skippedBlocks, split: splits.length, merged: merges.length, queued: queued + splitReviews.length };
  }
  const queued = inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- the full pass rebuilds every block key
    db.delete(matchKeys).run();
    insertBlockingKeys(db, records);
    // The profiles the splits make, under the IDs the plan gave them.
    const made = new Map<number, number>();
    for (const x of splits) {
      made.set(x.to, splitOff(db, model, x, thresholds.automatic, "nightly pass", now));
    }
    const real = (p: number) => made.get(p) ?? p;
    const ctx = createIngestContext(db, () => now);
    for (const { survivor, absorbed, decision } of merges) {
      const cause = `match model, nightly pass (${formatProbability(decision.probability)})`;
      mergeProfiles(ctx, real(survivor), real(absorbed), { cause, staffId: null, evidence: decision.evidence });
    }
    for (const survivor of new Set(merges.map((m) => m.survivor))) refreshGolden(ctx, real(find(survivor)));
    let n = 0;
    for (const x of splitReviews) {
      n += queueForReview(db, real(find(x.from)), real(find(x.to)), splitReview(model, x, thresholds.automatic), now);
    }
    for (const d of pairReviews) n += queueForReview(db, real(find(d.a)), real(find(d.b)), d, now);
    return n;
  });
  return { records: records.length, comparisons, skippedBlocks, split: splits.length, merged: merges.length, queued };
}

/**
 * Profiles the split check and a re-sent record leave as they are: those a person merged or split
 * (the model's later word does not undo theirs), and erased ones (their records hold nothing left
 * to weigh, and an erased customer is not split). The whole store's, or whether `profileId` is one.
 */
export function leftAlone(db: Db): Set<number>;
export function leftAlone(db: Db, profileId: number): boolean;
export function leftAlone(db: Db, profileId?: number): Set<number> | boolean {
  const byStaff = isNotNull(mergeEvents.staffId);
  if (profileId !== undefined) {
    const merged = db
      .select({ id: mergeEvents.id })
      .from(mergeEvents)
      .where(and(byStaff, or(eq(mergeEvents.survivorId, profileId), eq(mergeEvents.absorbedId, profileId))))
      .get();
    return merged !== undefined || db.select({ id: erasures.profileId }).from(erasures).where(eq(erasures.profileId, profileId)).get() !== undefined;
  }
  const rows = db.select({ survivor: mergeEvents.survivorId, absorbed: mergeEvents.absorbedId }).from(mergeEvents).where(byStaff).all();
  const erased = db.select({ profileId: erasures.profileId }).from(erasures).all();
  return new Set([...rows.flatMap((r) => [r.survivor, r.absorbed]), ...erased.map((e) => e.profileId)]);
}

function largestProfileId(db: Db): number {
  return (
    db
      .select({ id: max(profiles.id) })
      .from(profiles)
      .get()?.id ?? 0
  );
}
