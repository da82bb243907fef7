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
import { copyStoreRows } from "@/db/bench";
import { openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";

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
const { timings, people, copySeconds, indexSeconds, indexesBuilt } = copyStoreRows(target, values.db, { withoutIndexes: values["without-indexes"] });
const seconds = copySeconds + indexSeconds;
closeDatabase(target);
fs.rmSync(dir, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const width = Math.max(...timings.map(([t]) => t.length));
for (const [table, rows, ms] of timings) console.log(`${table.padEnd(width)}  ${fmt(rows).padStart(12)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
if (values["without-indexes"])
  console.log(
    `\nrows copied without secondary indexes or triggers in ${copySeconds.toFixed(1)} s; ${indexesBuilt} indexes built after in ${indexSeconds.toFixed(1)} s`,
  );
console.log(
  `\n${fmt(people)} profiles' rows written by SQLite alone in ${seconds.toFixed(1)} s: ${fmt(people / seconds)} profiles/s is the most any writer reaches on this machine`,
);
