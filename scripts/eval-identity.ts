/**
 * `npm run eval:identity`: imports public record-linkage sets with ground truth through the
 * importer and its mapping files, then scores the profiles it builds as pairwise precision and
 * recall beside the figures others published on the same files (../shared/data/README.md).
 *
 *   npm run eval:identity -- [--data ../shared/data]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { isNotNull } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { profiles, reviewQueue, sourceCustomers } from "@/db/schema";
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { ensureSource, importCustomers, readMapping } from "@/lib/identity/import";
import type { IdentitySettings } from "@/lib/identity/normalize";
import { saveIdentitySettings } from "@/lib/identity/settings";

type Published = { label: string; precision: number; recall: number; f1: number };
type EvalSet = {
  name: string;
  file: string;
  mapping: string;
  idColumn: string;
  truth: (row: Record<string, string>) => string;
  settings?: Partial<IdentitySettings>;
  published: Published;
};

const mappings = path.join(import.meta.dirname, "eval-mappings");
const febrlTruth = (row: Record<string, string>) => /^rec-(\d+)-/.exec(row.rec_id)?.[1] ?? row.rec_id;
// soc_sec_id has no check digit: a loyalty scheme of seven plain digits lets it stand in for a card.
const ssidAsLoyalty: Partial<IdentitySettings> = { loyalty: { prefix: "", digits: 7, checkDigit: "none" } };

export const SETS: EvalSet[] = [
  {
    name: "fake_1000",
    file: "splink_fake_1000/fake_1000.csv",
    mapping: "fake-1000.json",
    idColumn: "unique_id",
    truth: (row) => row.cluster,
    published: { label: "Splink 4 @0.5", precision: 0.9993, recall: 0.675, f1: 0.806 },
  },
  {
    name: "FEBRL 3",
    file: "febrl/dataset3.csv",
    mapping: "febrl.json",
    idColumn: "rec_id",
    truth: febrlTruth,
    settings: ssidAsLoyalty,
    published: { label: "Splink 4 @0.5", precision: 0.9997, recall: 0.9862, f1: 0.9929 },
  },
  {
    name: "FEBRL 1",
    file: "febrl/dataset1.csv",
    mapping: "febrl.json",
    idColumn: "rec_id",
    truth: febrlTruth,
    settings: ssidAsLoyalty,
    published: { label: "RLTK guide", precision: 1, recall: 0.634, f1: (2 * 0.634) / 1.634 },
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

/** Imports one set into a scratch database, runs the possible-duplicate pass and scores the result. */
export async function evaluate(set: EvalSet, dataDir: string) {
  const file = path.resolve(dataDir, set.file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-eval-"));
  const db = openDatabase(path.join(dir, "eval.db"));
  try {
    ensureSource(db, { name: "eval", label: set.name }, true);
    if (set.settings) saveIdentitySettings(db, set.settings);
    const summary = await importCustomers(db, { source: "eval", file, mapping: readMapping(path.join(mappings, set.mapping)), rejectsFile: path.join(dir, "rejects.csv") });
    const duplicates = findPossibleDuplicates(db);

    const truthOf = new Map<string, string>();
    const rows = parse(fs.readFileSync(file), { columns: (h: string[]) => h.map((c) => c.trim()), trim: true, bom: true }) as Record<string, string>[];
    for (const row of rows) truthOf.set(row[set.idColumn], set.truth(row));
    const records = db
      .select({ id: sourceCustomers.sourceCustomerId, profileId: sourceCustomers.profileId })
      .from(sourceCustomers)
      .all()
      .map((r) => ({ ...r, truth: truthOf.get(r.id)! }));

    const truePairs = [...countBy(records, (r) => r.truth).values()].reduce((s, n) => s + pairs(n), 0);
    const autoPredicted = [...countBy(records, (r) => String(r.profileId)).values()].reduce((s, n) => s + pairs(n), 0);
    const autoTp = [...countBy(records, (r) => `${r.profileId}|${r.truth}`).values()].reduce((s, n) => s + pairs(n), 0);

    // A review item suggests every pair across its two profiles (followed through later merges).
    const redirect = new Map(db.select({ id: profiles.id, to: profiles.mergedInto }).from(profiles).where(isNotNull(profiles.mergedInto)).all().map((p) => [p.id, p.to!]));
    const live = (id: number) => redirect.get(id) ?? id;
    const byProfile = new Map<number, typeof records>();
    for (const r of records) byProfile.set(r.profileId, [...(byProfile.get(r.profileId) ?? []), r]);
    const suggested = new Set<string>();
    let reviewTp = 0;
    for (const item of db.select().from(reviewQueue).all()) {
      if (item.profileB === null || item.status !== "open") continue;
      const [a, b] = [live(item.profileA), live(item.profileB)].sort((x, y) => x - y);
      if (a === b || suggested.has(`${a}|${b}`)) continue;
      suggested.add(`${a}|${b}`);
      for (const ra of byProfile.get(a) ?? []) for (const rb of byProfile.get(b) ?? []) if (ra.truth === rb.truth) reviewTp++;
    }
    let reviewPredicted = 0;
    for (const key of suggested) {
      const [a, b] = key.split("|").map(Number);
      reviewPredicted += (byProfile.get(a)?.length ?? 0) * (byProfile.get(b)?.length ?? 0);
    }
    return {
      set,
      summary,
      auto: score(autoTp, autoPredicted, truePairs),
      withReview: score(autoTp + reviewTp, autoPredicted + reviewPredicted, truePairs),
      reviewPrecision: reviewPredicted ? reviewTp / reviewPredicted : null,
      reviewPairs: reviewPredicted,
      duplicates,
      truePairs,
    };
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f = (v: number | null, digits = 4) => (v === null ? "–" : v.toFixed(digits));

async function main(argv: string[]) {
  const { values: args } = parseArgs({ args: argv, options: { data: { type: "string", default: "../shared/data" } } });
  const results = [];
  for (const set of SETS) results.push(await evaluate(set, args.data));

  console.log("Pairwise scores of the profiles built by the importer (a: automatic merges; b: a + open review-queue pairs)\n");
  console.log(
    ["set", "records", "true pairs", "a TP/FP/FN", "a P", "a R", "a F1", "b P", "b R", "b F1", "review P", "published", "pub P", "pub R", "pub F1"].join("\t"),
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
        `${f(r.reviewPrecision)} (${r.reviewPairs} pairs)`,
        r.set.published.label,
        f(r.set.published.precision),
        f(r.set.published.recall),
        f(r.set.published.f1),
      ].join("\t"),
    );
  }
  console.log("\nPossible-duplicate pass (blocked, never all pairs):");
  for (const r of results) {
    const d = r.duplicates;
    console.log(`${r.set.name}: ${d.records} records, ${d.comparisons} profile pairs compared (all pairs of records: ${pairs(d.records)}), ${d.queued} profile pairs queued`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
