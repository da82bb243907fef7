/**
 * `npm run lists:rebuild -- [--db file]`: recomputes the managers' customer-list tables
 * (store_customer_stats, store_customer_purchases) from orders and assignments. Ingest keeps them
 * right as orders arrive; run this after a bulk load that bypassed ingest, or to repair them.
 */
import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_PATH, openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { rebuildStoreCustomerStats } from "@/lib/lists/stats";

const { values } = parseArgs({ options: { db: { type: "string", default: DEFAULT_DATABASE_PATH } } });
const db = openDatabase(values.db!);
const started = performance.now();
const { rows, purchases } = rebuildStoreCustomerStats(db);
closeDatabase(db);
process.stdout.write(
  `${rows.toLocaleString("en-GB")} store customers, ${purchases.toLocaleString("en-GB")} bought categories and collections in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
