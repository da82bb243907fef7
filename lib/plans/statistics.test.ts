import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seedBasics } from "@/lib/test/factories";
import { databasesRemovedAfterEachTest } from "@/lib/test/each-test";
import { refreshStatistics } from "@/db/statistics";

const store = databasesRemovedAfterEachTest();

const analysed = (db: ReturnType<typeof store>["db"]) => {
  const exists = db.$client.prepare("select 1 from sqlite_schema where name = 'sqlite_stat1'").get();
  // The migrations' own table and the name search's internal tables are never empty.
  const tables = exists ? (db.$client.prepare("select distinct tbl from sqlite_stat1 order by tbl").pluck().all() as string[]) : [];
  return tables.filter((t) => t !== "__drizzle_migrations" && !t.startsWith("profile_search"));
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

  it("refreshes every filled table after a bulk write", () => {
    const { db } = store();
    seedBasics(db);
    refreshStatistics(db.$client);
    expect(analysed(db)).toEqual(expect.arrayContaining(["products", "sources", "stores"]));
    const row = db.$client.prepare("select stat from sqlite_stat1 where idx = 'products_sku_unique'").pluck().get() as string;
    expect(row.split(" ")[0]).toBe("2");
  });
});
