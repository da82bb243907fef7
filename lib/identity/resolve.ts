import { type Db, perConnection } from "@/db/client";
import { formatProbability } from "./probability";
import type { MatchEvidence } from "@/db/schema";
import { MAX_BLOCK, MIN_SHARED_KEYS, blockCap, blockingKeys, keyStrength } from "./blocking";
import {
  type GuardConflict,
  GUARD_CONFLICT_TEXT,
  type MatchModel,
  type MatchRecord,
  evidenceOf,
  guardConflict,
  weighsDisagreements,
  scoreProfiles,
  toMatchRecord,
} from "./match-model";
import type { Identifier, IdentitySettings } from "./normalize";
import { keptApart, ownersOfIdentifier, profileOfRecord, rawRecordsOfProfile, recordsInBlock, replaceBlockingKeys } from "./queries";

/**
 * Customer resolution: where one incoming source record belongs. Candidates come from blocking
 * (indexed lookups only); each candidate profile is scored by the match model; the decision is
 * merge (probability at or above the automatic threshold and no guard-rail conflict), review
 * (from the review threshold) or nothing. A strong identifier shared by more profiles than the
 * cap is no evidence at all (a shop's phone), and is flagged once.
 */

export type ResolverContext = {
  db: Db;
  settings: IdentitySettings;
  model: MatchModel;
};

export type Candidate = {
  profileId: number;
  probability: number;
  evidence: MatchEvidence;
  conflict: GuardConflict | null;
};

export type Resolution = {
  /** Profiles the record's profile absorbs (or joins: the lowest ID survives), best first. */
  merge: Candidate[];
  /** Profiles put to review with the record's profile. */
  review: Candidate[];
  /** Identifiers shared by more profiles than the cap: not evidence, flagged. */
  overShared: { id: Identifier; profileId: number }[];
};

/** Blocks only grow (but for an erasure), so one found full is skipped without asking again. */
const fullBlocksOf = perConnection((_db: Db) => new Set<string>());

const FULL_BLOCKS_REMEMBERED = 100_000;

export function recordsOfProfile(db: Db, settings: IdentitySettings, profileId: number): MatchRecord[] {
  return rawRecordsOfProfile(db, profileId).map((r) => toMatchRecord(r, settings));
}

/** The record without the identifiers that no longer tell people apart. */
export function withoutValues(r: MatchRecord, neutral: Identifier[]): MatchRecord {
  if (neutral.length === 0) return r;
  const out = { ...r };
  for (const id of neutral) {
    if (id.type === "email" && out.email === id.value) out.email = "";
    if (id.type === "phone" && out.phone === id.value) out.phone = "";
    if (id.type === "loyalty" && out.loyalty === id.value) out.loyalty = "";
  }
  return out;
}

/**
 * What resolution reads about the store: the store itself (queries.ts) or, for a bulk load, the
 * same facts held in memory (bulk.ts). Orders are those of the indexes the SQL reads.
 */
export type ResolverLookups = {
  /** Distinct profiles holding the identifier, by their first record holding it; at most `limit`. */
  ownersOf(type: string, value: string, limit: number): number[];
  /** Records with the blocking key, by record ID; at most `limit`. */
  recordsInBlock(key: string, limit: number): number[];
  profileOfRecord(recordId: number): number | undefined;
  /** The profile's first 50 records by record ID, as match records. */
  recordsOfProfile(profileId: number): MatchRecord[];
  keptApart(a: number, b: number): boolean;
  /** Blocks only grow (but for an erasure), so one found full may be skipped without asking again. */
  fullBlocks: Set<string>;
};

export function sqlLookups({ db, settings }: ResolverContext): ResolverLookups {
  return {
    ownersOf: (type, value, limit) => ownersOfIdentifier(db, type, value, limit),
    recordsInBlock: (key, limit) => recordsInBlock(db, key, limit),
    profileOfRecord: (id) => profileOfRecord(db, id),
    recordsOfProfile: (profileId) => recordsOfProfile(db, settings, profileId),
    keptApart: (a, b) => keptApart(db, a, b),
    fullBlocks: fullBlocksOf(db),
  };
}

/**
 * Decides for one record (already normalised as `own`; `ids` its linkable identifiers) given the
 * profile it is in now (a re-sent record) or none. Reads only.
 */
export function resolveRecord(ctx: ResolverContext, own: MatchRecord, ids: Identifier[], current: number | null): Resolution {
  return resolveWith(sqlLookups(ctx), ctx.settings, ctx.model, own, ids, current);
}

/**
 * The profiles a record may belong to: those holding one of its identifiers (an identifier held by
 * more profiles than the cap is no evidence: overShared), and those whose records share at least two
 * of its blocks. Not `current`, the profile it is in already.
 */
export function candidateProfiles(
  s: ResolverLookups,
  settings: IdentitySettings,
  own: MatchRecord,
  ids: Identifier[],
  current: number | null,
  keys: string[] = blockingKeys(own),
): { candidates: Set<number>; overShared: Resolution["overShared"] } {
  const fullBlocks = s.fullBlocks;
  const cap = settings.maxProfilesPerIdentifier;
  const overShared: Resolution["overShared"] = [];
  const candidates = new Set<number>();
  for (const id of ids) {
    const owners = s.ownersOf(id.type, id.value, cap + 1);
    if (owners.length > cap) {
      overShared.push({ id, profileId: owners[0] });
      continue;
    }
    for (const p of owners) if (p !== current) candidates.add(p);
  }
  // Records met in at least two blocks (a two-in-one key counts twice); a block found full is not walked again.
  const shared = new Map<number, number>();
  for (const key of keys) {
    if (fullBlocks.has(key)) continue;
    const cap = blockCap(key, MAX_BLOCK);
    const inBlock = s.recordsInBlock(key, cap);
    if (inBlock.length >= cap) {
      if (fullBlocks.size >= FULL_BLOCKS_REMEMBERED) fullBlocks.clear();
      fullBlocks.add(key);
      continue;
    }
    const strength = keyStrength(key);
    for (const other of inBlock) if (other !== own.id) shared.set(other, (shared.get(other) ?? 0) + strength);
  }
  for (const [other, n] of shared) {
    if (n < MIN_SHARED_KEYS) continue;
    const p = s.profileOfRecord(other);
    if (p !== undefined && p !== current) candidates.add(p);
  }
  return { candidates, overShared };
}

/** resolveRecord over any view of the store: the one set of rules for the incremental and the bulk path. */
export function resolveWith(
  s: ResolverLookups,
  settings: IdentitySettings,
  model: MatchModel,
  own: MatchRecord,
  ids: Identifier[],
  current: number | null,
  /** blockingKeys(own), when the caller has them already. */
  keys: string[] = blockingKeys(own),
): Resolution {
  const { candidates, overShared } = candidateProfiles(s, settings, own, ids, current, keys);
  if (candidates.size === 0) return { merge: [], review: [], overShared };

  const neutral = overShared.map((o) => o.id);
  const mine = withoutValues(own, neutral);
  const group = [mine, ...(current === null ? [] : s.recordsOfProfile(current).filter((r) => r.id !== own.id))];
  const ownGroup = group.length;
  const scored: (Candidate & { records: MatchRecord[]; best: [MatchRecord, MatchRecord] })[] = [];
  for (const profileId of candidates) {
    const records = s.recordsOfProfile(profileId).map((r) => withoutValues(r, neutral));
    const match = scoreProfiles(model, [mine], records);
    if (!match || match.best.probability < settings.matchThresholds.review) continue;
    scored.push({
      profileId,
      probability: match.best.probability,
      evidence: evidenceOf(model, match.best),
      conflict: null,
      records,
      best: [match.a, match.b] as [MatchRecord, MatchRecord],
    });
  }
  scored.sort((a, b) => b.probability - a.probability || a.profileId - b.profileId);
  const merge: Candidate[] = [];
  const review: Candidate[] = [];
  const joined = current === null ? [] : [current];
  for (const c of scored) {
    const { records, ...scoredAlone } = c;
    let { best, ...candidate } = scoredAlone;
    // Joining a second profile says it is the same person as everything joined so far, so the
    // record must vouch for it and the group must not tell against it: a record holding only a name
    // and a postcode does not bridge two namesakes at that postcode whose birth dates and emails differ.
    if (group.length > 1) {
      const together = scoreProfiles(model, group, records)!;
      if (together.best.probability < candidate.probability) {
        candidate = { ...candidate, probability: together.best.probability, evidence: evidenceOf(model, together.best) };
        best = [together.a, together.b];
      }
    }
    if (candidate.probability < settings.matchThresholds.review) continue;
    // Checked against everything joined so far: a record bridging two card holders joins neither.
    const conflict = guardConflict(group, records, best, weighsDisagreements(model));
    const apart = joined.some((p) => s.keptApart(p, c.profileId));
    if (candidate.probability >= settings.matchThresholds.automatic && !conflict && !apart) {
      merge.push(candidate);
      joined.push(c.profileId);
      group.push(...records);
    } else if (!apart) review.push({ ...candidate, conflict: candidate.probability >= settings.matchThresholds.automatic ? conflict : null });
  }
  if (merge.length === 0) return { merge, review, overShared };
  const joinedIds = new Set(merge.map((c) => c.profileId));
  let rivals = 0;
  for (const c of scored) {
    if (joinedIds.has(c.profileId)) continue;
    const apart = joined.some((p) => s.keptApart(p, c.profileId));
    rivals += odds(c.probability) * (1 - (apart ? 0 : scoreProfiles(model, group, c.records)!.best.probability));
  }
  if (sharedClaim(merge[0].probability, rivals) >= settings.matchThresholds.automatic) return { merge, review, overShared };
  // Not one of them surely: each goes to a person, on what the record alone says of it.
  const weighed = weighsDisagreements(model);
  const held = scored
    .filter((c) => current === null || !s.keptApart(current, c.profileId))
    .map(({ records, best, ...c }) => ({ ...c, conflict: guardConflict(group.slice(0, ownGroup), records, best, weighed) ?? ("another_customer" as const) }));
  return { merge: [], review: held, overShared };
}

export const odds = (p: number) => (p >= 1 ? Number.MAX_VALUE : p / (1 - p));

/**
 * A record is one person's. Where profiles that are not one person each claim it, each is a rival
 * explanation of the same record, so the probability that it belongs to the group it joined is the
 * group's odds over the odds of every explanation, a new person's (1) included:
 * odds / (1 + odds + the rivals' odds). A rival's odds count as far as it is not the group's person
 * (times 1 − the probability that it is; in full where a reviewer kept them apart): a profile of the
 * same person not yet merged is no rival. Two namesakes at one postcode whose birth dates differ,
 * each claiming a till record that holds only that name and postcode, share it about evenly.
 * Each pair's own probability is unchanged; only the choice between them is.
 */
export function sharedClaim(probability: number, rivalOdds: number): number {
  if (rivalOdds === 0) return probability;
  const mine = odds(probability);
  return mine / (1 + mine + rivalOdds);
}

/** Stores the record's blocking keys, so later records (in this batch too) find it. */
export function storeBlockingKeys(db: Db, record: MatchRecord): void {
  replaceBlockingKeys(db, record.id, blockingKeys(record));
}

/**
 * The reason a review item gives in one line: the probability, the strongest evidence for and
 * against, and the guard rail that held it back (a conflict is given only where the probability
 * alone would have merged).
 */
export function reviewReason(c: Pick<Candidate, "probability" | "evidence" | "conflict">): string {
  const strongest = (sign: 1 | -1, n: number) =>
    [...c.evidence.parts]
      .filter((p) => sign * p.weight > 0)
      .sort((a, b) => sign * (b.weight - a.weight))
      .slice(0, n)
      .map((p) => p.text);
  const against = strongest(-1, 2);
  const but = against.length ? `; against: ${against.join(", ")}` : "";
  const held = c.conflict ? `; not merged automatically: ${GUARD_CONFLICT_TEXT[c.conflict]}` : "";
  return `${formatProbability(c.probability)}: ${strongest(1, 3).join(", ") || "similar records"}${but}${held}`;
}
