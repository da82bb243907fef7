/**
 * `npm run identity:train -- [--db file]`: re-estimates the match model from the store's own source
 * records (no labels: u from random pairs, m by EM over blocked pairs, term frequencies) and stores
 * it in the database as the next version. Ingest and the nightly pass use it from then on.
 */
import { COMPARISONS, householdCredits, levelWeight, priorWeight } from "@/lib/identity/match-model";
import { trainStoreModel } from "@/lib/identity/match-train";
import { runCli } from "./cli";

runCli(import.meta.url, {
  usage: "tsx scripts/identity-train.ts [--db file]",
  run({ db }) {
    const started = performance.now();
    const model = trainStoreModel(db());
    console.log(
      `Model version ${model.version}, trained on ${model.records.toLocaleString("en-GB")} records in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const note of model.notes ?? []) console.log(`  ${note}`);
    console.log(`  prior ${priorWeight(model).toFixed(1)}`);
    for (const c of COMPARISONS) {
      console.log(`  ${c.label}: ${c.levels.map((l) => `${l.key} ${levelWeight(model, c.name, l.key).toFixed(1)}`).join(", ")}`);
    }
    const credited = householdCredits(model).filter((c) => c.weight >= 0.1);
    console.log(
      `  second household agreement: ${credited.length ? credited.map((c) => `${c.other} beside ${c.strongest} +${c.weight.toFixed(1)}`).join(", ") : "adds nothing in this store"}`,
    );
  },
});
