import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { databasesRemovedAfterEachTest } from "@/lib/test/each-test";
import { writeAuditSoon } from "./deferred";

const store = databasesRemovedAfterEachTest();

const rows = (db: ReturnType<typeof store>["db"]) =>
  db.select({ action: auditLog.action, profileId: auditLog.profileId, at: auditLog.at }).from(auditLog).all();
const spools = (file: string) => fs.readdirSync(path.dirname(file)).filter((n) => n.includes(".audit-spool-"));

describe("audit rows written after the answer", () => {
  it("returns at once while another connection holds the write lock, and writes the row once it is free", async () => {
    const { db, file } = store();
    const importer = new Database(file);
    importer.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    writeAuditSoon(db, { staffId: null, storeId: null, action: "profile.view", profileId: 7 }, 1000);
    expect(performance.now() - started).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 60));
    expect(rows(db)).toEqual([]);
    const [spool] = spools(file);
    expect(fs.readFileSync(path.join(path.dirname(file), spool), "utf8")).toContain('"profile.view"');

    importer.exec("COMMIT");
    importer.close();
    await expect.poll(() => rows(db), { timeout: 3000 }).toEqual([{ action: "profile.view", profileId: 7, at: 1000 }]);
    expect(fs.readFileSync(path.join(path.dirname(file), spool), "utf8")).toBe("");
  });

  it("moves the rows a stopped process left in its spool, skipping a line cut short", () => {
    const { db, file } = store();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const line = (profileId: number, at: number) => JSON.stringify({ entry: { staffId: null, storeId: null, action: "customer.lookup", profileId }, at });
    fs.writeFileSync(`${file}.audit-spool-${gone}.jsonl`, `${line(1, 10)}\n${line(2, 20)}\n{"entry":{"sta`);
    db.$client.close();

    const reopened = store.reopen(file);
    writeAuditSoon(reopened, { staffId: null, storeId: null, action: "profile.view", profileId: 3 }, 30);
    expect(rows(reopened).map((r) => r.profileId)).toEqual([1, 2]);
    expect(spools(file)).toEqual([`${path.basename(file)}.audit-spool-${process.pid}.jsonl`]);
  });
});
