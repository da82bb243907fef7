/**
 * `npm run bench:floor -- --db data/bench-100k.db`: the write floor, the least time SQLite itself
 * needs to write the rows of a generated store; its rate is the most the generator and the
 * importer can reach (a ceiling on their profiles/s). Every table is copied
 * with INSERT … SELECT into an empty migrated store with the same indexes and triggers and the
 * generator's bulk-load settings: no JavaScript per row, no reads to decide anything. Nothing that
 * writes these rows one decision at a time can be faster than this on the same machine.
 * `--without-indexes` drops the secondary indexes and triggers first and builds the indexes after
 * the copy, timed apart: the floor for a load that defers its indexes (ingest itself cannot, as it
 * reads the identifier and source-record indexes to link each record).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";

const USAGE = "tsx scripts/bench-write-floor.ts --db <generated store> [--without-indexes]";
const { values } = parseArgs({ options: { db: { type: "string" }, "without-indexes": { type: "boolean" }, help: { type: "boolean" } } });
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
    .prepare(
      "select name from generated.sqlite_master where type = 'table' and name not like 'sqlite_%' and substr(name, 1, 2) != '__' and name not like 'profile_search%' and sql not like 'CREATE VIRTUAL%'",
    )
    .all() as { name: string }[]
)
  .map((t) => t.name)
  .filter((t) => (sqlite.prepare(`select exists (select 1 from generated.${t}) as n`).get() as { n: number }).n === 1);
const people = (sqlite.prepare("select count(distinct profile_id) as n from generated.source_customers").get() as { n: number }).n;

const columnsOf = (table: string) =>
  (sqlite.prepare(`select name from generated.pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name).join(", ");
// Secondary indexes (not the primary keys' own) and triggers, to drop now and build after the copy.
const deferred = values["without-indexes"]
  ? (sqlite.prepare("select type, name, sql from main.sqlite_master where type in ('index', 'trigger') and sql is not null").all() as {
      type: string;
      name: string;
      sql: string;
    }[])
  : [];
for (const d of deferred) sqlite.prepare(`drop ${d.type} main.${d.name}`).run();
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
const copySeconds = (performance.now() - started) / 1000;
const indexStarted = performance.now();
sqlite.transaction(() => {
  for (const d of deferred) if (d.type === "index") sqlite.exec(d.sql);
})();
const indexSeconds = (performance.now() - indexStarted) / 1000;
const seconds = copySeconds + indexSeconds;
sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const width = Math.max(...TABLES.map((t) => t.length));
for (const [table, rows, ms] of timings) console.log(`${table.padEnd(width)}  ${fmt(rows).padStart(12)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
if (deferred.length)
  console.log(
    `\nrows copied without secondary indexes or triggers in ${copySeconds.toFixed(1)} s; ${deferred.filter((d) => d.type === "index").length} indexes built after in ${indexSeconds.toFixed(1)} s`,
  );
console.log(
  `\n${fmt(people)} profiles' rows written by SQLite alone in ${seconds.toFixed(1)} s: ${fmt(people / seconds)} profiles/s is the most any writer reaches on this machine`,
);
