/**
 * `npm run identity:duplicates -- [--db file]`: the nightly full pass of the match model. Blocks
 * the source records, scores the candidate pairs of profiles, merges those at or above head office's
 * automatic threshold (guard rails permitting) and queues the likely ones below it for review.
 * Pairs already queued or rejected are left alone, so it can run every night.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { cliDatabasePath, runWhenMain } from "./cli";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: "string" } } });
  const db = openDatabase(cliDatabasePath(values.db));
  try {
    const started = performance.now();
    const r = findPossibleDuplicates(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${r.records.toLocaleString("en-GB")} records, ${r.comparisons.toLocaleString("en-GB")} profile pairs compared (${r.skippedBlocks} over-large blocks skipped), ` +
        `${r.merged} merged automatically, ${r.queued} newly queued for review in ${seconds} s`,
    );
    return 0;
  } finally {
    closeDatabase(db);
  }
}

runWhenMain(import.meta.url, main);
