import type { Db } from "@/db/client";
import {
  COMPARISONS,
  type ComparisonName,
  combineWeights,
  householdExtra,
  householdKey,
  isHousehold,
  levelWeight,
  priorWeight,
  probabilityOf,
  type MatchModel,
  type MatchRecord,
  type TfField,
  defaultModel,
  levelsOf,
  scorePair,
  toMatchRecord,
  weightBesideSurname,
} from "./match-model";
import { countSourceRecords, overSharedIdentifiers, rawMatchRecords } from "./queries";
import { loadIdentitySettings, saveMatchModel } from "./settings";

/**
 * Estimates the match model from the store's own records, without labels, as Splink does:
 * - u from pairs drawn at random (nearly all strangers), but the postcode's exact u from the pairs
 *   within postcodes (postcodeExactU);
 * - term frequencies of first names, surnames and cities from the records;
 * - m by expectation-maximisation over the pairs of each training blocking rule, u held fixed; a
 *   rule's own fields agree by construction there, so their m comes from the other rules;
 * - the prior: matches each rule found, divided by the share of all matches that rule can see
 *   (from the m of its fields), over all pairs;
 * - how often the strangers at one postcode are family sharing a surname (familyShare).
 */

export type TrainOptions = {
  /** Random pairs for u (all pairs when the store has fewer). */
  maxRandomPairs?: number;
  /** Records in one training block beyond which it is cut (a common name makes no block of 10,000). */
  maxBlock?: number;
  /** Pairs EM sees per training rule; beyond, whole blocks are sampled. */
  maxPairsPerRule?: number;
  iterations?: number;
  seed?: number;
  now?: number;
  version?: number;
};

/** Training blocking rules: pairs that agree exactly on these fields. */
const TRAINING_RULES: { name: string; fields: ComparisonName[]; key: (r: MatchRecord) => string }[] = [
  { name: "same first and last name", fields: ["first", "last"], key: (r) => (r.first && r.last ? `${r.first}|${r.last}` : "") },
  { name: "same birth date", fields: ["birth"], key: (r) => r.birth },
  { name: "same postcode and surname initial", fields: ["postcode"], key: (r) => (r.postcode && r.last ? `${r.postcode}|${r.last[0]}` : "") },
  { name: "same email", fields: ["email"], key: (r) => r.email },
  { name: "same phone", fields: ["phone"], key: (r) => r.phone },
];

const TF_FIELDS: TfField[] = ["first", "last", "city"];
const TF_KEEP = 3000;

/** A small seeded generator (mulberry32): the same store trains to the same model. */
class Random {
  constructor(private state: number) {}
  int(min: number, max: number): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return min + Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (max - min + 1));
  }
}

type Patterns = Map<string, { levels: Int8Array; count: number }>;

function addPattern(patterns: Patterns, levels: Int8Array): void {
  const key = levels.join(",");
  const p = patterns.get(key);
  if (p) p.count++;
  else patterns.set(key, { levels, count: 1 });
}

type RandomPairs = { counts: number[][]; pairs: number; patterns: Patterns };

/** Level counts over pairs drawn at random (all pairs when there are fewer than maxPairs). */
function randomPairLevels(records: MatchRecord[], maxPairs: number, random: Random): RandomPairs {
  const n = records.length;
  const all = (n * (n - 1)) / 2;
  const patterns: Patterns = new Map();
  if (all <= maxPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) addPattern(patterns, levelsOf(records[i], records[j]));
  } else {
    for (let k = 0; k < maxPairs; k++) {
      const i = random.int(0, n - 1);
      let j = random.int(0, n - 2);
      if (j >= i) j++;
      addPattern(patterns, levelsOf(records[i], records[j]));
    }
  }
  const counts = COMPARISONS.map((c) => new Array(c.levels.length).fill(0));
  for (const { levels, count } of patterns.values()) levels.forEach((l, c) => l >= 0 && (counts[c][l] += count));
  return { counts, pairs: Math.min(all, maxPairs), patterns };
}

/**
 * model.household: among strangers' pairs at a level of one household field, the share also at a
 * level of another. The random pairs count by how likely each is to be two strangers under the
 * first estimate of the model (in a store dense with duplicates, most random pairs that share an
 * address are one person). Few strangers agree on an address, so the share is the upper end of its
 * 95 % range, (x + 3) / (n + 3) (the rule of three when x is 0): a second agreement is credited only
 * as far as the store shows the two fields vary apart.
 */
function householdDependence({ patterns }: RandomPairs, model: MatchModel): Record<string, number> {
  const given = new Map<string, number>();
  const both = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const prior = priorWeight(model);
  const weights = new Float64Array(COMPARISONS.length);
  for (const { levels, count: pairs } of patterns.values()) {
    levels.forEach((l, c) => (weights[c] = l < 0 ? NaN : levelWeight(model, COMPARISONS[c].name, COMPARISONS[c].levels[l].key)));
    const count = pairs * (1 - probabilityOf(combineWeights(levels, weights, prior)));
    for (let s = 0; s < levels.length; s++) {
      const ls = levels[s];
      if (ls < 0 || !isHousehold(s, ls) || ls === COMPARISONS[s].levels.length - 1) continue;
      for (let k = 0; k < levels.length; k++) {
        if (k === s || !isHousehold(k) || levels[k] < 0) continue;
        add(given, `${s}.${ls}|${k}`, count);
        add(both, householdKey(s, ls, k, levels[k]), count);
      }
    }
  }
  const out: Record<string, number> = {};
  for (const [key, n] of given) {
    const [s, ls, k] = key.split(/[.|]/).map(Number);
    for (let lk = 0; lk < COMPARISONS[k].levels.length - 1; lk++) {
      if (isHousehold(k, lk)) out[householdKey(s, ls, k, lk)] = ((both.get(householdKey(s, ls, k, lk)) ?? 0) + 3) / (n + 3);
    }
  }
  return out;
}

/**
 * u: how often strangers' pairs show each level. Random pairs are strangers but for a share lambda
 * of matches, whose levels follow m: a level's share among them is lambda·m + (1 − lambda)·u, so
 * u = (share − lambda·m) / (1 − lambda). Without m and lambda yet (the first estimate) the shares
 * are taken as they are, which is exact enough in a large store (lambda is one in millions) and
 * overstates u in a small, duplicate-dense one, where one person's records make many of the pairs.
 */
function estimateU({ counts }: RandomPairs, matches?: { m: number[][]; lambda: number }): number[][] {
  const defaults = defaultModel();
  return counts.map((row, c) => {
    const total = row.reduce((s, v) => s + v, 0);
    const cmp = COMPARISONS[c];
    if (total < 100) return cmp.levels.map((l) => defaults.comparisons[cmp.name][l.key].u);
    const lambda = matches?.lambda ?? 0;
    // A level never seen among strangers gets half of one in the sample, not zero (an infinite weight).
    const strangers = row.map((v, l) => Math.max((v / total - lambda * (matches?.m[c][l] ?? 0)) / (1 - lambda), 0.5 / total));
    const sum = strangers.reduce((s, v) => s + v, 0);
    return strangers.map((v) => v / sum);
  });
}

function termFrequencies(records: MatchRecord[]): MatchModel["tf"] {
  const out = {} as MatchModel["tf"];
  for (const field of TF_FIELDS) {
    const counts = new Map<string, number>();
    let total = 0;
    for (const r of records) {
      const v = r[field];
      if (!v) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      total++;
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1]);
    const kept = sorted.slice(0, TF_KEEP);
    // Two records that agree on an unlisted value hold it twice at least, however rare it is.
    const floor = total === 0 ? 0 : Math.max(2, sorted[TF_KEEP]?.[1] ?? 2) / total;
    out[field] = { values: Object.fromEntries(kept.map(([v, c]) => [v, c / total])), floor };
  }
  return out;
}

/** FNV-1a: a block is in the EM sample or not by its key alone, the same on every run. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

/**
 * Visits the pairs of the blocks `key` makes, a block cut at `maxBlock` records. Beyond `maxPairs`,
 * whole blocks are sampled by their key, so every pair of one person in a sampled block is kept:
 * `pairs` counts all of them, `sampled` those visited.
 */
function forBlockedPairs(
  records: MatchRecord[],
  key: (r: MatchRecord) => string,
  maxBlock: number,
  maxPairs: number,
  visit: (a: MatchRecord, b: MatchRecord) => void,
): { pairs: number; sampled: number } {
  const blocks = new Map<string, MatchRecord[]>();
  for (const r of records) {
    const k = key(r);
    if (!k) continue;
    const b = blocks.get(k);
    if (b) {
      if (b.length < maxBlock) b.push(r);
    } else blocks.set(k, [r]);
  }
  let pairs = 0;
  for (const block of blocks.values()) pairs += (block.length * (block.length - 1)) / 2;
  const share = Math.min(1, maxPairs / pairs);
  let sampled = 0;
  for (const [k, block] of blocks) {
    if (block.length < 2 || (share < 1 && keyHash(k) >= share)) continue;
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        visit(block[i], block[j]);
        sampled++;
      }
    }
  }
  return { pairs, sampled };
}

/** The level patterns of a training rule's pairs (all counted in `pairs`, for the prior; `sampled`, those EM sees). */
function blockedPairs(records: MatchRecord[], key: (r: MatchRecord) => string, maxBlock: number, maxPairs: number) {
  const patterns: Patterns = new Map();
  const counts = forBlockedPairs(records, key, maxBlock, maxPairs, (a, b) => addPattern(patterns, levelsOf(a, b)));
  return { patterns, ...counts };
}

const POSTCODE = COMPARISONS.findIndex((c) => c.name === "postcode");
const POSTCODE_EXACT = COMPARISONS[POSTCODE].levels.findIndex((l) => l.key === "exact");

/**
 * The postcode's exact u from the store's pairs within postcodes, not from the random pairs: a
 * chain's postcodes are so many that a million random pairs hold one or two strangers at one
 * postcode, and the weight swung by three bits between two stores drawn alike (16.8 and 20.0). The
 * pairs at one postcode, Σ c(c − 1)/2 over its values, count as strangers by the share the model
 * finds two people among those visited (blocks cut and sampled as EM's are), over all pairs of
 * records that both hold a postcode. Null where too few pairs share a postcode to say.
 */
function postcodeExactU(records: MatchRecord[], model: MatchModel, maxBlock: number, maxPairs: number): { u: number; note: string } | null {
  const counts = new Map<string, number>();
  for (const r of records) if (r.postcode) counts.set(r.postcode, (counts.get(r.postcode) ?? 0) + 1);
  let known = 0;
  let atOne = 0;
  for (const c of counts.values()) {
    known += c;
    atOne += (c * (c - 1)) / 2;
  }
  let strangers = 0;
  const { sampled } = forBlockedPairs(
    records,
    (r) => r.postcode,
    maxBlock,
    maxPairs,
    (a, b) => (strangers += 1 - scorePair(model, a, b).probability),
  );
  if (sampled < 50) return null;
  const allPairs = (known * (known - 1)) / 2;
  const u = Math.max((atOne * strangers) / sampled / allPairs, 0.5 / allPairs);
  const share = ((strangers / sampled) * 100).toFixed(1);
  return {
    u,
    note: `postcode agreement among strangers from the ${atOne.toLocaleString("en-GB")} pairs within postcodes (${share}% two people): 1 pair in ${Math.round(1 / u).toLocaleString("en-GB")}`,
  };
}

/**
 * model.family: of the store's strangers who share a postcode, the share who are family sharing a
 * surname beyond chance. The pairs at one postcode count as strangers by how unlikely the model
 * finds them one person with their surnames left out; the share of them agreeing on the surname,
 * less chance (the surname's u), is credited only as far as it stands two standard errors above
 * chance: where surnames fall regardless of address (FEBRL's files) it stays 0.
 */
function familyShare(records: MatchRecord[], model: MatchModel, maxBlock: number, maxPairs: number, notes: string[]): number {
  let strangers = 0;
  let sameSurname = 0;
  const { pairs, sampled } = forBlockedPairs(
    records,
    (r) => r.postcode,
    maxBlock,
    maxPairs,
    (a, b) => {
      const { weight, surnames } = weightBesideSurname(model, a, b);
      if (surnames === null) return;
      const q = 1 - probabilityOf(weight);
      strangers += q;
      if (surnames === "same") sameSurname += q;
    },
  );
  if (strangers < 1) return 0;
  const chance = model.comparisons.last.exact.u;
  const share = sameSurname / strangers;
  const family = Math.max(0, (share - chance - 2 * Math.sqrt((chance * (1 - chance)) / strangers)) / (1 - chance));
  notes.push(
    `${Math.round(strangers).toLocaleString("en-GB")} pairs of strangers among ${sampled.toLocaleString("en-GB")}${sampled < pairs ? ` (blocks sampled, of ${pairs.toLocaleString("en-GB")})` : ""} at one postcode, ${(share * 100).toFixed(1)}% of them with one surname (chance ${(chance * 100).toFixed(2)}%): ${(family * 100).toFixed(1)}% taken as family`,
  );
  return family;
}

const PRIOR_PAIRS = 20;

/** EM with u fixed: returns m for every comparison (those in `fixed` unchanged) and the share of matches. */
function expectationMaximisation(
  patterns: Patterns,
  m: number[][],
  u: number[][],
  household: Record<string, number>,
  fixed: Set<number>,
  iterations: number,
): { m: number[][]; lambda: number } {
  let lambda = 0.1;
  let current = m.map((row) => [...row]);
  const list = [...patterns.values()];
  const weights = new Float64Array(m.length);
  for (let it = 0; it < iterations; it++) {
    const sums = current.map((row) => new Array(row.length).fill(0));
    let matched = 0;
    let total = 0;
    const prior = Math.log2(lambda / (1 - lambda));
    const estimate = current;
    const extra = householdExtra(household, (c, l) => estimate[c][l]);
    for (const { levels, count } of list) {
      // The rule's own fields agree in every pair here: Splink leaves them out of the session.
      for (let c = 0; c < levels.length; c++) {
        const l = levels[c];
        weights[c] = l < 0 || fixed.has(c) ? NaN : Math.log2(current[c][l] / u[c][l]);
      }
      // Scored as pairs are scored: household agreements count as one and what a second adds (a family is not three matches).
      const p = probabilityOf(combineWeights(levels, weights, prior, undefined, extra));
      matched += p * count;
      total += count;
      levels.forEach((l, c) => l >= 0 && (sums[c][l] += p * count));
    }
    lambda = Math.min(0.999, Math.max(1e-6, matched / total));
    // The starting m stand as PRIOR_PAIRS pseudo-pairs: no level becomes impossible for one person
    // because this store's records never showed it (people do move and mistype).
    current = current.map((row, c) => {
      const sum = sums[c].reduce((s, v) => s + v, 0);
      if (fixed.has(c) || sum < 5) return row;
      return sums[c].map((v, l) => (v + PRIOR_PAIRS * m[c][l]) / (sum + PRIOR_PAIRS));
    });
  }
  return { m: current, lambda };
}

type RuleResult = { rule: (typeof TRAINING_RULES)[number]; lambda: number; pairs: number; sampled: number };

/** m by EM over each training rule's pairs (u fixed), averaged over the rules that could see each comparison. */
function estimateM(
  blocked: { rule: (typeof TRAINING_RULES)[number]; patterns: Patterns; pairs: number; sampled: number }[],
  u: number[][],
  household: Record<string, number>,
  iterations: number,
) {
  const start = defaultModel();
  const m0 = COMPARISONS.map((c) => c.levels.map((l) => start.comparisons[c.name][l.key].m));
  const mSums = COMPARISONS.map((c) => new Array(c.levels.length).fill(0));
  const mRuns = new Array(COMPARISONS.length).fill(0);
  const rules: RuleResult[] = [];
  for (const { rule, patterns, pairs, sampled } of blocked) {
    const fixed = new Set(rule.fields.map((f) => COMPARISONS.findIndex((c) => c.name === f)));
    const { m, lambda } = expectationMaximisation(patterns, m0, u, household, fixed, iterations);
    rules.push({ rule, lambda, pairs, sampled });
    m.forEach((row, c) => {
      if (fixed.has(c)) return;
      // A comparison nobody in these pairs could make (no phones in the set) says nothing here.
      const known = [...patterns.values()].reduce((s, p) => s + (p.levels[c] >= 0 ? p.count : 0), 0);
      if (known < 20) return;
      row.forEach((v, l) => (mSums[c][l] += v));
      mRuns[c]++;
    });
  }
  const m = m0.map((row, c) => (mRuns[c] ? mSums[c].map((v) => v / mRuns[c]) : row));
  return { m, rules };
}

/**
 * Estimates a model from records (normalised); `records` may be a sample of the store. Twice: the
 * second time with u cleared of the matches among the random pairs, which the first estimate of m
 * and the prior measure (estimateU).
 */
export function trainModel(records: MatchRecord[], options: TrainOptions = {}): MatchModel {
  const random = new Random(options.seed ?? 1);
  const sample = randomPairLevels(records, options.maxRandomPairs ?? 1_000_000, random);
  const [maxBlock, maxPairs] = [options.maxBlock ?? 100, options.maxPairsPerRule ?? 2_000_000];
  const blocked = TRAINING_RULES.map((rule) => ({ rule, ...blockedPairs(records, rule.key, maxBlock, maxPairs) })).filter((b) => b.sampled >= 50);
  const iterations = options.iterations ?? 25;
  const model: MatchModel = {
    ...defaultModel(),
    version: options.version ?? 1,
    trainedAt: options.now ?? Date.now(),
    records: records.length,
    tf: termFrequencies(records),
  };
  const fit = (u: number[][], household: Record<string, number>) => {
    const { m, rules } = estimateM(blocked, u, household, iterations);
    COMPARISONS.forEach((c, ci) => c.levels.forEach((l, li) => (model.comparisons[c.name][l.key] = { m: m[ci][li], u: u[ci][li] })));
    model.notes = [
      `u from ${sample.pairs.toLocaleString("en-GB")} random pairs of ${records.length.toLocaleString("en-GB")} records, less the matches among them`,
      ...rules.map(
        (r) =>
          `EM over ${r.sampled.toLocaleString("en-GB")} pairs${r.sampled < r.pairs ? ` (blocks sampled, of ${r.pairs.toLocaleString("en-GB")})` : ""} with ${r.rule.name}: ${(r.lambda * 100).toFixed(1)}% one person`,
      ),
    ];
    model.lambda = estimateLambda(records, model, rules, model.notes);
    return m;
  };
  const m = fit(estimateU(sample), {});
  model.household = householdDependence(sample, model);
  const u = estimateU(sample, { m, lambda: model.lambda });
  const postcode = postcodeExactU(records, model, maxBlock, maxPairs);
  if (postcode) u[POSTCODE][POSTCODE_EXACT] = postcode.u;
  fit(u, model.household);
  if (postcode) model.notes!.splice(1, 0, postcode.note);
  boundWeights(model);
  model.family = familyShare(records, model, maxBlock, maxPairs, model.notes!);
  return model;
}

/**
 * What a level's estimate may not say, however few of the store's pairs it rests on: a partial
 * agreement (an initial, a slipped date) never weighs more than exact agreement on the same field,
 * nor a swapped name more than both names agreeing, and a level that only says two values cannot
 * be compared well (a number not valid as written, a landline beside a mobile) never counts for a
 * match. A store whose records never hold an initial sees none among its strangers, so u falls to
 * the half-pair floor and the level would otherwise outweigh the full name. Capped by raising u.
 * Not a term-frequency field's close level: scoring caps that at the value's own exact weight
 * ("Londdon" is London mistyped).
 */
function boundWeights(model: MatchModel): void {
  const bothNames = levelWeight(model, "first", "exact") + levelWeight(model, "last", "exact");
  for (const c of COMPARISONS) {
    const exact = levelWeight(model, c.name, "exact");
    for (const level of c.levels) {
      if (level.key === "exact" || (c.tf && level.key === "close")) continue;
      // A swap is both names agreeing crosswise, counted once: as much as both agreeing as written.
      const cap = level.fallback ? 0 : Math.max(0, level.key === "swapped" ? bothNames : exact);
      const estimate = model.comparisons[c.name][level.key];
      if (levelWeight(model, c.name, level.key) > cap) model.comparisons[c.name][level.key] = { m: estimate.m, u: estimate.m / 2 ** cap };
    }
  }
}

/**
 * Matching pairs in the whole store, from each rule: the matches EM found among its pairs, divided
 * by the share of all matching pairs that agree on the rule's fields (both known, then exact). The
 * median over rules, as a share of all pairs.
 */
function estimateLambda(records: MatchRecord[], model: MatchModel, results: RuleResult[], notes: string[]): number {
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  const estimates: number[] = [];
  for (const { rule, lambda, pairs } of results) {
    let recall = 1;
    for (const f of rule.fields) {
      const present = records.filter((r) => r[f] !== "").length / n;
      recall *= present * present * model.comparisons[f].exact.m;
    }
    if (recall > 0.01) estimates.push((lambda * pairs) / recall);
  }
  if (estimates.length === 0 || allPairs === 0) return defaultModel().lambda;
  estimates.sort((a, b) => a - b);
  const matches = estimates[Math.floor(estimates.length / 2)];
  notes.push(
    `about ${Math.round(matches).toLocaleString("en-GB")} matching pairs among ${allPairs.toLocaleString("en-GB")} (median of ${estimates.length} rules)`,
  );
  return Math.min(0.5, Math.max(1e-12, matches / allPairs));
}

/**
 * Records the estimate is made on: all of them up to this many (a chain's million customers), so
 * EM sees every pair of one person (blocks are sampled instead, in blockedPairs). Beyond, every
 * k-th record, which keeps one person's pairs at only 1 in k².
 */
export const MAX_TRAINING_RECORDS = 3_000_000;

/**
 * `identity:train`: estimates the model from the store's source records and stores it as the next
 * version. Over-shared identifiers (a shop's phone) are left out as ingest leaves them out.
 */
export function trainStoreModel(db: Db, options: TrainOptions = {}): MatchModel {
  const settings = loadIdentitySettings(db);
  const total = countSourceRecords(db);
  const step = Math.max(1, Math.ceil(total / MAX_TRAINING_RECORDS));
  const neutral = overSharedIdentifiers(db, settings.maxProfilesPerIdentifier);
  const records = rawMatchRecords(db, step).map((r) => {
    const m = toMatchRecord(r, settings);
    if (neutral.has(`email:${m.email}`)) m.email = "";
    if (neutral.has(`phone:${m.phone}`)) m.phone = "";
    if (neutral.has(`loyalty:${m.loyalty}`)) m.loyalty = "";
    return m;
  });
  const model = trainModel(records, options);
  if (step > 1) {
    // Pairs of a sample: the prior is a share of pairs, and a sample of 1 in k keeps matching pairs at 1 in k² but all pairs at 1 in k² too.
    model.notes?.push(`trained on 1 record in ${step} of ${total.toLocaleString("en-GB")}`);
  }
  return saveMatchModel(db, model, options.now);
}
