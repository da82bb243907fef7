import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { inBulkTransaction } from "./bulk";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-db-bulk-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("inBulkTransaction", () => {
  it("checks the foreign keys of the rows it added at the end, and writes nothing when one points at nothing", () => {
    const db = openDatabase(path.join(dir, "fk.db"));
    const sqlite = db.$client;
    const count = (table: string) => sqlite.prepare(`select count(*) from ${table}`).pluck().get();
    try {
      sqlite.prepare("insert into profiles (id, created_at, updated_at) values (1, 0, 0)").run();
      // Children before their parent, as a bulk load may write them: fine once the parent is there too.
      inBulkTransaction(db, ["profiles"], () => {
        sqlite.prepare("insert into profiles (id, merged_into, created_at, updated_at) values (2, 3, 0, 0)").run();
        sqlite.prepare("insert into profiles (id, created_at, updated_at) values (3, 0, 0)").run();
      });
      expect(count("profiles")).toBe(3);
      expect(() =>
        inBulkTransaction(db, ["profiles"], () => {
          sqlite.prepare("insert into profiles (id, created_at, updated_at) values (4, 0, 0)").run();
          sqlite.prepare("insert into profiles (id, merged_into, created_at, updated_at) values (5, 99, 0, 0)").run();
        }),
      ).toThrow(/left 1 rows of profiles pointing at nothing/);
      expect(count("profiles")).toBe(3);
      // Parents in other tables, tested against a list of their keys: a line naming neither its order nor its product breaks two keys.
      expect(() =>
        inBulkTransaction(db, ["order_lines"], () => {
          sqlite.prepare("insert into order_lines (order_id, line_no, product_id, quantity, unit_price) values (7, 1, 8, 1, 100)").run();
        }),
      ).toThrow(/left 2 rows of order_lines pointing at nothing/);
      expect(count("order_lines")).toBe(0);
      // A key left empty points at nothing and breaks nothing.
      inBulkTransaction(db, ["profiles"], () => {
        sqlite.prepare("insert into profiles (id, merged_into, created_at, updated_at) values (6, null, 0, 0)").run();
      });
      expect(count("profiles")).toBe(4);
      // Profiles 1, 2, 3 and 6: no longer a gapless run, so 5 is looked for and not found.
      expect(() =>
        inBulkTransaction(db, ["profiles"], () => {
          sqlite.prepare("insert into profiles (id, merged_into, created_at, updated_at) values (7, 5, 0, 0)").run();
        }),
      ).toThrow(/left 1 rows of profiles pointing at nothing/);
      sqlite.prepare("insert into profiles (id, created_at, updated_at) values (4, 0, 0), (5, 0, 0)").run();
      // 1 to 6 without a gap: a key inside the run names a row, a key outside it or not an integer names none.
      inBulkTransaction(db, ["profiles"], () => {
        sqlite.prepare("insert into profiles (id, merged_into, created_at, updated_at) values (7, 5, 0, 0)").run();
      });
      for (const key of [0, 9, "'5x'", 2.5])
        expect(() =>
          inBulkTransaction(db, ["profiles"], () => {
            sqlite.prepare(`insert into profiles (id, merged_into, created_at, updated_at) values (8, ${key}, 0, 0)`).run();
          }),
        ).toThrow(/left 1 rows of profiles pointing at nothing/);
      expect(count("profiles")).toBe(7);
      expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      sqlite.close();
    }
  });
});
