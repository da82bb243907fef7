/**
 * `npm run identity:duplicates -- [--db file] [--dry-run [--automatic p --review p]]`: the nightly
 * full pass of the match model. Splits off profiles the groups of records that no longer belong
 * with the rest (looseGroup), blocks the source records, scores the candidate pairs of profiles,
 * merges those at or above head office's automatic threshold (guard rails permitting) and queues the
 * likely ones below it for review. Pairs already queued or rejected are left alone, so it can run
 * every night. --dry-run counts without writing, with other thresholds if given (the dry run of
 * /hq/identity, for a store too large to count there).
 */
import { DEFAULT_DUPLICATE_OPTIONS, findPossibleDuplicates } from "@/lib/identity/duplicates";
import { matchThresholdsSchema } from "@/lib/hq/identity";
import { UsageError, runCli } from "./cli";

runCli(import.meta.url, {
  usage: "tsx scripts/identity-duplicates.ts [--db file] [--dry-run [--automatic 0.99 --review 0.5]]",
  options: { "dry-run": { type: "boolean" }, automatic: { type: "string" }, review: { type: "string" } },
  run({ db, values }) {
    const dryRun = values["dry-run"] ?? false;
    const given = values.automatic !== undefined || values.review !== undefined;
    if (given && !dryRun) throw new UsageError("--automatic and --review go with --dry-run: head office sets the thresholds on /hq/identity.");
    let thresholds;
    if (given) {
      const parsed = matchThresholdsSchema.safeParse({ automatic: Number(values.automatic), review: Number(values.review) });
      if (!parsed.success) throw new UsageError(`Both --automatic and --review, as probabilities: ${parsed.error.issues.map((i) => i.message).join(" ")}`);
      thresholds = parsed.data;
    }
    const started = performance.now();
    const r = findPossibleDuplicates(db(), { ...DEFAULT_DUPLICATE_OPTIONS, dryRun, thresholds });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${r.records.toLocaleString("en-GB")} records, ${r.comparisons.toLocaleString("en-GB")} profile pairs compared (${r.skippedBlocks} over-large blocks skipped), ` +
        (dryRun
          ? `would split ${r.split} groups of records off their profiles, make ${r.merged} merges and ${r.queued} new review items (dry run, nothing written) in ${seconds} s`
          : `${r.split} groups of records split off their profiles, ${r.merged} merged automatically, ${r.queued} newly queued for review in ${seconds} s`),
    );
  },
});
