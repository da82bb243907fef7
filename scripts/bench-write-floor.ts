/**
 * `npm run bench:floor -- --db data/bench-100k.db`: how fast SQLite itself can write the rows of a
 * generated store, as a floor for the generator's and the importer's rates. Every table is copied
 * with INSERT … SELECT into an empty migrated store with the same indexes and triggers and the
 * generator's bulk-load settings: no JavaScript per row, no reads to decide anything. Nothing that
 * writes these rows one decision at a time can be faster than this on the same machine.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";

const USAGE = "tsx scripts/bench-write-floor.ts --db <generated store>";
const { values } = parseArgs({ options: { db: { type: "string" }, help: { type: "boolean" } } });
if (values.help || !values.db) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
if (!fs.existsSync(values.db)) {
  console.error(`No such database: ${values.db}\n${USAGE}`);
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-floor-"));
const target = openDatabase(path.join(dir, "floor.db"));
const sqlite = target.$client;
sqlite.pragma("synchronous = OFF");
sqlite.pragma("cache_size = -524288");
// Rows arrive table by table, children possibly before parents; they were consistent where they came from.
sqlite.pragma("foreign_keys = OFF");
sqlite.prepare("attach database ? as generated").run(path.resolve(values.db));
// Every plain table the generator filled; the name-search index is rebuilt by the profiles trigger, as in a real load.
const TABLES = (
  sqlite
    .prepare("select name from generated.sqlite_master where type = 'table' and name not like 'sqlite_%' and substr(name, 1, 2) != '__' and name not like 'profile_search%' and sql not like 'CREATE VIRTUAL%'")
    .all() as { name: string }[]
)
  .map((t) => t.name)
  .filter((t) => (sqlite.prepare(`select exists (select 1 from generated.${t}) as n`).get() as { n: number }).n === 1);
const people = (sqlite.prepare("select count(distinct profile_id) as n from generated.source_customers").get() as { n: number }).n;

const columnsOf = (table: string) => (sqlite.prepare(`select name from generated.pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name).join(", ");
const timings: [string, number, number][] = [];
const started = performance.now();
sqlite.transaction(() => {
  // The migration seeds nothing, but clear anything it might, so the copy is the generated store exactly.
  for (const table of TABLES) sqlite.prepare(`delete from main.${table}`).run();
  for (const table of TABLES) {
    const t = performance.now();
    const columns = columnsOf(table);
    const copied = sqlite.prepare(`insert into main.${table} (${columns}) select ${columns} from generated.${table}`).run().changes;
    timings.push([table, copied, performance.now() - t]);
  }
})();
const seconds = (performance.now() - started) / 1000;
sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const width = Math.max(...TABLES.map((t) => t.length));
for (const [table, rows, ms] of timings) console.log(`${table.padEnd(width)}  ${fmt(rows).padStart(12)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
console.log(`\n${fmt(people)} profiles' rows written by SQLite alone in ${seconds.toFixed(1)} s: ${fmt(people / seconds)} profiles/s is the floor on this machine`);
