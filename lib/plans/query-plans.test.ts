import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "@/db/client";
import { REFERENCE_NOW } from "@/lib/demo/calendar";
import { seedDemo } from "@/lib/demo/demo";
import { refreshStatistics } from "@/db/statistics";
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { DATABASE_MINING_DEFAULTS, mineDatabase } from "@/lib/suggest/mine-database";
import { HOT_QUERIES, type HotQuery, planFixture } from "./hot-queries";
import { planProblems, recordStatements } from "./plan-check";

/**
 * Each hot query's plan on one generated store seen two ways: as a store that was never analysed
 * (a fresh migration, a retailer's first import) and with its statistics. The code runs for real;
 * every statement it ran is explained with its own parameters.
 */

let dir: string;
let file: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-plans-"));
  file = path.join(dir, "store.db");
  const db = openDatabase(file);
  seedDemo(db, { profiles: 1500 });
  mineDatabase(db, DATABASE_MINING_DEFAULTS);
  findPossibleDuplicates(db);
  db.$client.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function copyOfStore(name: string): string {
  const copy = path.join(dir, `${name}.db`);
  fs.copyFileSync(file, copy);
  return copy;
}

/** Opens a copy with statement recording in place before the first prepare. */
function open(copy: string, statistics: boolean): { db: Db; during: ReturnType<typeof recordStatements>["during"] } {
  const db = openDatabase(copy);
  if (statistics) refreshStatistics(db.$client);
  else db.$client.exec("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4; ANALYZE sqlite_schema");
  return { db, during: recordStatements(db.$client).during };
}

function problemsOf(db: Db, during: ReturnType<typeof recordStatements>["during"], query: HotQuery, fixture: ReturnType<typeof planFixture>): string[] {
  const ran = during(() => db.$client.transaction(() => query.run(fixture))());
  expect(ran.length, `${query.name} ran no statement`).toBeGreaterThan(0);
  return [...new Set(ran.flatMap((s) => planProblems(db.$client, s, query.allow).map((p) => `${p}\n    in: ${s.sql}`)))];
}

describe.each([
  ["without statistics", false],
  ["with statistics", true],
])("hot query plans on a generated store %s", (label, statistics) => {
  let db: Db;
  let during: ReturnType<typeof recordStatements>["during"];
  let fixture: ReturnType<typeof planFixture>;

  beforeAll(() => {
    ({ db, during } = open(copyOfStore(statistics ? "analysed" : "bare"), statistics));
    fixture = planFixture(db, REFERENCE_NOW);
  });
  afterAll(() => db.$client.close());

  it("has or lacks planner statistics as the case says", () => {
    const rows = db.$client.prepare("select count(*) n from sqlite_schema where name = 'sqlite_stat1'").get() as { n: number };
    const analysed = rows.n > 0 && (db.$client.prepare("select count(*) n from sqlite_stat1").get() as { n: number }).n > 0;
    expect(analysed, label).toBe(statistics);
  });

  it.each(HOT_QUERIES.map((q) => [q.name, q] as const))("%s: no full scan of a large table, no walk by a low-selectivity column", (_, query) => {
    expect(problemsOf(db, during, query, fixture)).toEqual([]);
  });
});
