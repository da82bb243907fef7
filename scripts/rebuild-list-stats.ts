/**
 * `npm run lists:rebuild -- [--db file]`: recomputes the managers' customer-list tables
 * (store_customer_stats, store_customer_purchases) from orders and assignments. Ingest keeps them
 * right as orders arrive; run this after a bulk load that bypassed ingest, or to repair them.
 */
import { rebuildStoreCustomerStats } from "@/lib/lists/stats";
import { runCli } from "./cli";

runCli(import.meta.url, {
  usage: "tsx scripts/rebuild-list-stats.ts [--db file]",
  run({ db }) {
    const started = performance.now();
    const { rows, purchases } = rebuildStoreCustomerStats(db());
    console.log(
      `${rows.toLocaleString("en-GB")} store customers, ${purchases.toLocaleString("en-GB")} bought categories and collections in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  },
});
