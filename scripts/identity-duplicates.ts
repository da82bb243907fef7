/**
 * `npm run identity:duplicates -- [--db file]`: the nightly full pass of the match model. Blocks
 * the source records, scores the candidate pairs of profiles, merges those at or above head office's
 * automatic threshold (guard rails permitting) and queues the likely ones below it for review.
 * Pairs already queued or rejected are left alone, so it can run every night.
 */
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { runCli } from "./cli";

runCli(import.meta.url, {
  usage: "tsx scripts/identity-duplicates.ts [--db file]",
  run({ db }) {
    const started = performance.now();
    const r = findPossibleDuplicates(db());
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${r.records.toLocaleString("en-GB")} records, ${r.comparisons.toLocaleString("en-GB")} profile pairs compared (${r.skippedBlocks} over-large blocks skipped), ` +
        `${r.merged} merged automatically, ${r.queued} newly queued for review in ${seconds} s`,
    );
  },
});
