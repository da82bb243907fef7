import { and, eq, inArray, sql } from "drizzle-orm";
import { formatProbability } from "./probability";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { matchKeys, profiles, reviewQueue } from "@/db/schema";
import { blockingKeys } from "./blocking";
import { createIngestContext, mergeProfiles, refreshGolden } from "./ingest";
import { type GuardConflict, type MatchRecord, evidenceOf, guardConflict, scoreProfiles, toMatchRecord, weighsDisagreements } from "./match-model";
import { insertBlockingKeys, insertReviewSuggestion, keptApart, overSharedIdentifiers, rawMatchRecords } from "./queries";
import { type Candidate, odds, reviewReason, sharedClaim } from "./resolve";
import { loadIdentitySettings, loadMatchModel } from "./settings";

/**
 * The full pass (`npm run identity:duplicates`, nightly): every record's blocks rebuilt, every
 * candidate pair of profiles scored by the match model, the pairs at or above the automatic
 * threshold merged (strongest first, guard rails checked against everything already joined), the
 * likely ones below it queued for review. Safe to run again: known pairs are skipped.
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

export type DuplicatePassResult = { records: number; comparisons: number; skippedBlocks: number; merged: number; queued: number };

type Decision = Candidate & { a: number; b: number; best: [MatchRecord, MatchRecord] };

/** The blocks a record is in for the full pass: its blocking keys, and its email, phone and card. */
function candidateKeys(r: MatchRecord): string[] {
  const keys = blockingKeys(r);
  if (r.email) keys.push(`E:${r.email}`);
  if (r.phone) keys.push(`P:${r.phone}`);
  if (r.loyalty) keys.push(`L:${r.loyalty}`);
  return keys;
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
  let skippedBlocks = 0;
  for (const block of blocks.values()) if (block.length > options.maxBlockSize) skippedBlocks++;
  // Profile by profile, each pair once (from its lower ID): a set of every candidate pair of a
  // chain's million profiles would not fit in memory.
  let comparisons = 0;
  const decisions: Decision[] = [];
  for (const [a, own] of byProfile) {
    const others = new Set<number>();
    for (const r of own) {
      for (const key of candidateKeys(r)) {
        const block = blocks.get(key)!;
        if (block.length > options.maxBlockSize) continue;
        for (const other of block) if (other.profileId > a) others.add(other.profileId);
      }
    }
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
        p = keptApart(db, ra, x) || keptApart(db, rb, x) ? 0 : scoreProfiles(model, together, members(x))!.best.probability;
        samePerson.set(x, p);
      }
      return p;
    };
    let probability = d.probability;
    for (const side of [d.a, d.b]) {
      let rivals = 0;
      for (const e of claims.get(side)!) {
        const x = find(e.a === side ? e.b : e.a);
        if (x === ra || x === rb) continue;
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
    const apart = keptApart(db, ra, rb) || keptApart(db, d.a, d.b);
    if (d.probability >= thresholds.automatic && !conflict && !apart && sharedProbability(d, ra, rb) < thresholds.automatic) conflict = "another_customer";
    if (d.probability >= thresholds.automatic && !conflict && !apart) {
      const [survivor, absorbed] = ra < rb ? [ra, rb] : [rb, ra];
      root.set(absorbed, survivor);
      byProfile.set(survivor, [...members(survivor), ...members(absorbed)]);
      merges.push({ survivor, absorbed, decision: d });
    } else if (!apart) reviews.push({ ...d, conflict });
  }
  if (options.dryRun) {
    const queued = reviews.filter((d) => find(d.a) !== find(d.b) && !pairAlreadyReviewed(db, find(d.a), find(d.b))).length;
    return { records: records.length, comparisons, skippedBlocks, merged: merges.length, queued };
  }
  const queued = inTransaction(db, () => {
    // eslint-disable-next-line drizzle/enforce-delete-with-where -- the full pass rebuilds every block key
    db.delete(matchKeys).run();
    insertBlockingKeys(db, records);
    const ctx = createIngestContext(db, () => now);
    for (const { survivor, absorbed, decision } of merges) {
      const cause = `match model, nightly pass (${formatProbability(decision.probability)})`;
      mergeProfiles(ctx, survivor, absorbed, { cause, staffId: null, evidence: decision.evidence });
    }
    for (const survivor of new Set(merges.map((m) => m.survivor))) refreshGolden(ctx, find(survivor));
    let n = 0;
    for (const d of reviews) n += queueForReview(db, find(d.a), find(d.b), d, now);
    return n;
  });
  return { records: records.length, comparisons, skippedBlocks, merged: merges.length, queued };
}
