/**
 * `npm run identity:duplicates -- [--db file] [--threshold 0.5]`: the batch pass for possible
 * duplicates. Blocks the source records, scores the candidate pairs and puts the likely ones on the
 * review queue (never merges). Pairs already queued or rejected are left alone, so it can run nightly.
 */
import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_PATH, openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { DEFAULT_DUPLICATE_SETTINGS, findPossibleDuplicates } from "@/lib/identity/duplicates";
import { runWhenMain } from "./cli";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: "string" }, threshold: { type: "string" } } });
  const threshold = values.threshold === undefined ? DEFAULT_DUPLICATE_SETTINGS.threshold : Number(values.threshold);
  if (!(threshold > 0 && threshold < 1)) {
    console.error("Usage: tsx scripts/identity-duplicates.ts [--db file] [--threshold 0<p<1]");
    return 2;
  }
  const db = openDatabase(values.db ?? process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH);
  try {
    const started = performance.now();
    const r = findPossibleDuplicates(db, { ...DEFAULT_DUPLICATE_SETTINGS, threshold });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${r.records.toLocaleString("en-GB")} records, ${r.comparisons.toLocaleString("en-GB")} profile pairs compared (${r.skippedBlocks} over-large blocks skipped), ` +
        `${r.suggested} profile pairs at p ≥ ${threshold}, ${r.queued} newly queued for review in ${seconds} s`,
    );
    return 0;
  } finally {
    closeDatabase(db);
  }
}

runWhenMain(import.meta.url, main);
