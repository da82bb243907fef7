import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ingest, seedBasics } from "@/lib/test/factories";
import { databasesRemovedAfterEachTest } from "@/lib/test/each-test";
import { optimize, refreshStatistics } from "@/db/statistics";

const store = databasesRemovedAfterEachTest();

const analysed = (db: ReturnType<typeof store>["db"]) => {
  const exists = db.$client.prepare("select 1 from sqlite_schema where name = 'sqlite_stat1'").get();
  // The migrations' own table is never empty.
  const tables = exists ? (db.$client.prepare("select distinct tbl from sqlite_stat1 order by tbl").pluck().all() as string[]) : [];
  return tables.filter((t) => t !== "__drizzle_migrations");
};

type Store = ReturnType<typeof store>["db"];

/** How SQLite plans the statement FTS5 runs to drop a merged segment's pages from the name index. */
const segmentDeletePlan = (db: Store) => {
  // A statement that reads the store sees another connection's schema change (EXPLAIN alone does not).
  db.$client.prepare("select count(*) from profiles").get();
  // A shadow table is FTS5's own: defensive mode refuses to prepare writes to it from outside.
  db.$client.unsafeMode(true);
  try {
    const rows = db.$client.prepare("explain query plan delete from profile_search_data where id >= ? and id <= ?").all(1, 2) as { detail: string }[];
    return rows.map((r) => r.detail).join(" / ");
  } finally {
    db.$client.unsafeMode(false);
  }
};

describe("planner statistics", () => {
  it("leaves a new, empty store unanalysed, so no table is pinned at zero rows", () => {
    expect(analysed(store().db)).toEqual([]);
  });

  it("analyses on open the tables that were filled without statistics", () => {
    const { db, file } = store();
    seedBasics(db);
    expect(analysed(db)).toEqual([]);
    db.$client.close();
    const reopened = store.reopen(file);
    expect(analysed(reopened)).toEqual(expect.arrayContaining(["products", "sources", "stores"]));
  });

  it("opens at once while another process writes, leaving the analysis for later", () => {
    const { db, file } = store();
    seedBasics(db);
    db.$client.close();
    const importer = new Database(file);
    importer.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    const reopened = store.reopen(file);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(analysed(reopened)).toEqual([]);
    expect(reopened.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    importer.exec("ROLLBACK");
    importer.close();
  });

  it("keeps the name index's internal tables without statistics, so FTS5 drops a segment's pages by rowid, not by a scan", () => {
    const { db, file } = store();
    seedBasics(db);
    ingest(db, [{ source: "pos", sourceCustomerId: "P1", firstName: "Ann", lastName: "Lee" }]);
    refreshStatistics(db.$client);
    expect(analysed(db)).toEqual(expect.arrayContaining(["profiles", "source_customers"]));
    expect(analysed(db).filter((t) => t.startsWith("profile_search"))).toEqual([]);
    expect(segmentDeletePlan(db)).toMatch(/SEARCH profile_search_data USING INTEGER PRIMARY KEY/);

    // A store analysed by an earlier version, when its index held only its two bookkeeping rows: opening it drops the row.
    const twoRowGuess = "insert into sqlite_stat1 (tbl, idx, stat) values ('profile_search_data', null, '2')";
    db.$client.prepare(twoRowGuess).run();
    db.$client.close();
    const app = store.reopen(file);
    expect(analysed(app).filter((t) => t.startsWith("profile_search"))).toEqual([]);
    // The app as it was before that: the guess loaded and FTS5's delete planned on it.
    app.$client.prepare(twoRowGuess).run();
    app.$client.exec("create table reload (x); drop table reload");
    expect(segmentDeletePlan(app)).toMatch(/SCAN profile_search_data/);
    // Another process's analysis (an import's, the hourly one) plans it again for every connection.
    const importer = store.reopen(file);
    optimize(importer.$client);
    expect(segmentDeletePlan(app)).toMatch(/SEARCH profile_search_data USING INTEGER PRIMARY KEY/);
  });

  it("refreshes every filled table after a bulk write", () => {
    const { db } = store();
    seedBasics(db);
    refreshStatistics(db.$client);
    expect(analysed(db)).toEqual(expect.arrayContaining(["products", "sources", "stores"]));
    const row = db.$client.prepare("select stat from sqlite_stat1 where idx = 'products_sku_unique'").pluck().get() as string;
    expect(row.split(" ")[0]).toBe("2");
  });
});
