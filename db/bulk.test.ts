import { spawn, spawnSync } from "node:child_process";
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

  it("writes through a rollback journal while it has the store to itself, through the WAL while another connection has it open, and leaves the WAL", () => {
    const file = path.join(dir, "journal.db");
    const db = openDatabase(file);
    const sqlite = db.$client;
    const mode = () => sqlite.pragma("journal_mode", { simple: true });
    const profiles = () => sqlite.prepare("select count(*) from profiles").pluck().get();
    const addProfile = () => sqlite.prepare("insert into profiles (created_at, updated_at) values (0, 0)").run();
    try {
      expect(mode()).toBe("wal");
      expect(inBulkTransaction(db, ["profiles"], () => (addProfile(), mode()))).toBe("delete");
      expect(mode()).toBe("wal");
      expect(fs.existsSync(`${file}-journal`)).toBe(false);
      expect(() =>
        inBulkTransaction(db, ["profiles"], () => {
          addProfile();
          throw new Error("the load failed");
        }),
      ).toThrow("the load failed");
      expect(mode()).toBe("wal");
      expect(profiles()).toBe(1);

      const app = openDatabase(file);
      try {
        expect(app.$client.prepare("select count(*) from profiles").pluck().get()).toBe(1);
        expect(inBulkTransaction(db, ["profiles"], () => (addProfile(), mode()))).toBe("wal");
        expect(app.$client.prepare("select count(*) from profiles").pluck().get()).toBe(2);
      } finally {
        app.$client.close();
      }
      expect(mode()).toBe("wal");
    } finally {
      sqlite.close();
    }
    // The file itself is in WAL mode again: a connection opened read-only (which cannot change it) finds it so.
    const reader = openDatabase(file, { readonly: true });
    try {
      expect(reader.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      reader.$client.close();
    }
  });

  it("makes a connection opened during a load that has the store to itself wait for it, instead of failing", async () => {
    const file = path.join(dir, "waited.db");
    openDatabase(file).$client.close();
    const inside = path.join(dir, "waited-inside.txt");
    const child = path.join(dir, "held-load.ts");
    fs.writeFileSync(
      child,
      `import fs from "node:fs";
       import { openDatabase } from ${JSON.stringify(path.resolve("db/client.ts"))};
       import { inBulkTransaction } from ${JSON.stringify(path.resolve("db/bulk.ts"))};
       const db = openDatabase(process.argv[2]);
       inBulkTransaction(db, ["profiles"], () => {
         db.$client.prepare("insert into profiles (first_name, created_at, updated_at) values ('Bo', 0, 0)").run();
         // Written aside and renamed, so the test never reads the file half-written.
         fs.writeFileSync(process.argv[3] + ".part", String(db.$client.pragma("journal_mode", { simple: true })));
         fs.renameSync(process.argv[3] + ".part", process.argv[3]);
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
       });
       db.$client.close();`,
    );
    const load = spawn(process.execPath, ["--import", "tsx", child, file, inside], { stdio: "ignore" });
    const ended = new Promise<number | null>((resolve) => load.on("exit", resolve));
    while (!fs.existsSync(inside)) await new Promise((r) => setTimeout(r, 20));
    expect(fs.readFileSync(inside, "utf8")).toBe("delete");
    const app = openDatabase(file);
    try {
      expect(app.$client.prepare("select first_name from profiles").pluck().all()).toEqual(["Bo"]);
      expect(app.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      app.$client.close();
    }
    expect(await ended).toBe(0);
  }, 60_000);

  it("leaves the store as it was when the process dies inside the load, for a read-only connection too", () => {
    const file = path.join(dir, "killed.db");
    const setup = openDatabase(file);
    setup.$client.prepare("insert into profiles (first_name, created_at, updated_at) values ('Ann', 0, 0)").run();
    setup.$client.close();
    // A separate process, killed inside the transaction once it has written past its page cache into the file.
    const child = path.join(dir, "killed-load.ts");
    fs.writeFileSync(
      child,
      `import { openDatabase } from ${JSON.stringify(path.resolve("db/client.ts"))};
       import { inBulkTransaction } from ${JSON.stringify(path.resolve("db/bulk.ts"))};
       const db = openDatabase(process.argv[2]);
       db.$client.pragma("cache_size = 50");
       inBulkTransaction(db, ["profiles"], () => {
         const insert = db.$client.prepare("insert into profiles (first_name, created_at, updated_at) values (?, 0, 0)");
         for (let i = 0; i < 20000; i++) insert.run("x".repeat(200));
         process.kill(process.pid, "SIGKILL");
       });`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", child, file], { encoding: "utf8" });
    expect(run.signal).toBe("SIGKILL");
    expect(fs.existsSync(`${file}-journal`)).toBe(true);
    const reader = openDatabase(file, { readonly: true });
    try {
      expect(reader.$client.prepare("select first_name from profiles").pluck().all()).toEqual(["Ann"]);
      expect(reader.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      reader.$client.close();
    }
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
  }, 60_000);
});
