/**
 * `npm run bench:lists -- [--db data/bench-1m.db] [--store 1] [--iterations 40]`: server time of the
 * managers' customer list (the lib query, in process) for a store over many filter combinations,
 * every sort, the first page and a deep keyset page. Figures, not pass/fail; the target is p95 ≤
 * 100 ms for every combination. Builds the list tables first when they are empty. Associate
 * filters run against a temporary client book that is rolled back.
 */
import { parseArgs } from "node:util";
import { sampleClientBook } from "@/db/bench";
import { openDatabase, rolledBack } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { REFERENCE_NOW } from "@/lib/demo/calendar";
import { LIST_SORTS, type ListFilter, type ListSort } from "@/lib/lists/params";
import { cursorAtOffset, queryStoreCustomers, storeListSize } from "@/lib/lists/query";
import { isStoreCustomerStatsEmpty, rebuildStoreCustomerStats } from "@/lib/lists/stats";

const { values: args } = parseArgs({
  options: { db: { type: "string", default: "data/bench-1m.db" }, store: { type: "string", default: "1" }, iterations: { type: "string", default: "40" } },
});
const db = openDatabase(args.db!);
const storeId = Number(args.store);
const iterations = Number(args.iterations);

if (isStoreCustomerStatsEmpty(db)) {
  console.log("Building the customer-list tables (once)…");
  const started = performance.now();
  const built = rebuildStoreCustomerStats(db);
  console.log(`  ${built.rows} store customers, ${built.purchases} purchase facets in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const storeSize = storeListSize(db, storeId);
console.log(`Store ${storeId}: ${storeSize} customers on its list`);

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const ms = (v: number) => v.toFixed(2);
const rows: string[] = [];
let worst = { p95: 0, name: "" };
// A temporary client book: 3,000 of the store's customers for one associate, rolled back at the end.
rolledBack(db, () => {
  const associate = sampleClientBook(db, storeId, REFERENCE_NOW, 3000);

  const combos: { name: string; filter: Omit<ListFilter, "sort">; sorts?: ListSort[] }[] = [
    { name: "no filter", filter: {}, sorts: [...LIST_SORTS] },
    { name: "tier Gold", filter: { tier: "Gold" } },
    { name: "tier Bronze", filter: { tier: "Bronze" } },
    { name: "last purchase in one month", filter: { from: "2026-03-01", to: "2026-03-31" }, sorts: ["last_purchase_desc", "name_asc", "spend_desc"] },
    { name: "last purchase in the last year", filter: { from: "2025-11-01" }, sorts: ["name_asc"] },
    { name: "spend £100–£200", filter: { minSpend: 100, maxSpend: 200 }, sorts: ["spend_desc", "name_asc", "last_purchase_desc"] },
    { name: "spend ≥ £2,000", filter: { minSpend: 2000 }, sorts: ["name_asc", "last_purchase_desc"] },
    { name: "bought Tops (common)", filter: { category: "Tops" } },
    { name: "bought Cutlery (rare)", filter: { category: "Cutlery" }, sorts: ["last_purchase_desc", "name_asc"] },
    { name: "bought collection Essentials", filter: { collection: "Essentials" } },
    { name: "bought collection Linnea (rare)", filter: { collection: "Linnea" }, sorts: ["spend_desc"] },
    { name: "assigned associate (3,000)", filter: { associate }, sorts: ["last_purchase_desc", "name_asc"] },
    { name: "consent email", filter: { consent: "email" } },
    { name: "consent post", filter: { consent: "post" }, sorts: ["name_asc"] },
    { name: "not seen 365 days", filter: { notSeen: 365 } },
    { name: "not seen 700 days (rare)", filter: { notSeen: 700 }, sorts: ["name_asc"] },
    { name: "Gold + consent sms", filter: { tier: "Gold", consent: "sms" }, sorts: ["spend_desc", "name_asc"] },
    { name: "Gold + bought Shoes + consent email", filter: { tier: "Gold", category: "Shoes", consent: "email" }, sorts: ["last_purchase_desc", "name_asc"] },
    {
      name: "Silver + spend £50–£500 + last year",
      filter: { tier: "Silver", minSpend: 50, maxSpend: 500, from: "2025-11-01" },
      sorts: ["name_asc", "spend_asc"],
    },
    { name: "not seen 180 days + consent email + spend ≥ £300", filter: { notSeen: 180, consent: "email", minSpend: 300 }, sorts: ["spend_desc", "name_asc"] },
    { name: "Essentials + Tops + consent post", filter: { collection: "Essentials", category: "Tops", consent: "post" }, sorts: ["name_desc"] },
    { name: "associate + Gold + consent email", filter: { associate, tier: "Gold", consent: "email" }, sorts: ["spend_desc"] },
    {
      name: "Cutlery + Bronze + not seen 90 days + spend ≤ £100",
      filter: { category: "Cutlery", tier: "Bronze", notSeen: 90, maxSpend: 100 },
      sorts: ["name_asc"],
    },
    {
      name: "every filter at once",
      filter: {
        tier: "Silver",
        from: "2025-01-01",
        to: "2026-10-31",
        minSpend: 10,
        maxSpend: 5000,
        category: "Tops",
        collection: "Essentials",
        associate,
        consent: "email",
        notSeen: 30,
      },
      sorts: ["last_purchase_desc"],
    },
  ];

  /** A cursor 70% of the way down the store's unfiltered order: a deep page. */
  const deepCursor = (sort: ListSort) => cursorAtOffset(db, storeId, sort, Math.floor(storeSize * 0.7));

  for (const combo of combos) {
    for (const sort of combo.sorts ?? ["last_purchase_desc"]) {
      const filter = { ...combo.filter, sort };
      for (const [pageName, after] of [
        ["first", undefined],
        ["deep", deepCursor(sort)],
      ] as const) {
        const run = () => queryStoreCustomers(db, storeId, filter, { after, now: REFERENCE_NOW });
        const found = run().rows.length;
        const samples: number[] = [];
        for (let i = 0; i < iterations; i++) {
          const t = process.hrtime.bigint();
          run();
          samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        const p = percentiles(samples);
        const name = `${combo.name} · ${sort} · ${pageName} page`;
        if (p.p95 > worst.p95) worst = { p95: p.p95, name };
        rows.push(`| ${name} | ${found} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} |`);
        console.log(`  ${name}: ${found} rows, p50 ${ms(p.p50)} ms p95 ${ms(p.p95)} ms p99 ${ms(p.p99)} ms`);
      }
    }
  }
});
closeDatabase(db);

console.log(`\nStore ${storeId}, ${storeSize} customers on its list; ${iterations} runs each (ms, server time of queryStoreCustomers):`);
console.log("| combination · sort · page | rows | p50 | p95 | p99 |\n| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
console.log(`\nworst p95: ${ms(worst.p95)} ms (${worst.name})`);
