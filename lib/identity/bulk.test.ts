import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "@/db/client";
import { type SeedSummary, seedDemo } from "@/lib/demo/demo";
import { emptyDemoStore, storeDigest as digest } from "@/lib/test/demo-store";
import { CUSTOMER_SOURCES, type SourceFile, writeSourceFiles } from "@/lib/demo/source-files";
import { inBulkTransaction } from "@/db/bulk";
import { REFERENCE_NOW } from "@/lib/demo/calendar";
import { rebuildStoreCustomerStats } from "@/lib/lists/stats";
import { BulkLoad, CUSTOMER_TABLES } from "./bulk";
import { type ImportPath, type ImportSummary, importFile, importFiles } from "./import";
import { createIngestContext } from "./ingest";

/**
 * The bulk load decides as the incremental path does: one generated data set (the demo chain's
 * source exports, with their overlaps, typing slips and shared household details) loaded both ways
 * into copies of one store must give the same profiles, links, merges and review items, IDs included.
 */

const store = emptyDemoStore("clientele-bulk-");
const dir = store.dir;
let files: SourceFile[];

beforeAll(() => {
  store.create();
  files = writeSourceFiles(path.join(dir, "files"), { records: 12_000, seed: 5, withOrders: false }).files.filter((f) => f.kind === "customers");
}, 120_000);

afterAll(() => store.remove());

/** The tables the identity side writes: every column but the wall-clock stamps, so a column added later is compared too. */
const DIGESTED: Record<string, string[]> = {
  profiles: ["created_at", "updated_at"],
  source_customers: ["created_at", "updated_at"],
  identifiers: ["created_at"],
  match_keys: [],
  merge_events: ["at"],
  merge_event_records: [],
  review_queue: ["created_at", "decided_at"],
};

/** What the generator writes besides customers. */
const GENERATED: Record<string, string[]> = {
  orders: ["created_at"],
  order_lines: [],
  interactions: [],
  store_customer_stats: [],
  store_customer_purchases: [],
};

async function load(
  name: string,
  path_: ImportPath | "auto",
  only: SourceFile[] = files,
  paths: Partial<Record<string, ImportPath>> = {},
): Promise<{ db: Db; summaries: ImportSummary[] }> {
  const db = openDatabase(store.copy(name));
  const summaries: ImportSummary[] = [];
  for (const source of CUSTOMER_SOURCES) {
    const f = only.find((x) => x.source === source);
    if (f) summaries.push(await importFile(db, { source, file: f.file, kind: "customers", path: paths[source] ?? path_ }));
  }
  return { db, summaries };
}

describe("bulk load", () => {
  it("gives the store the incremental path gives: same profiles, links, merges and review items", async () => {
    const incremental = await load("incremental.db", "incremental");
    // A retailer's first exports, loaded one source after another, the app file incrementally between
    // bulk loads: the last bulk load reads back records written both ways.
    const bulk = await load("bulk.db", "auto", files, { app: "incremental" });
    try {
      expect(bulk.summaries.map((s) => s.path.taken)).toEqual(["bulk", "bulk", "incremental", "bulk"]);
      const counts = (s: ImportSummary[]) =>
        s.map(({ inserted, rejected, profilesCreated, merges, reviewItems }) => ({ inserted, rejected, profilesCreated, merges, reviewItems }));
      expect(counts(bulk.summaries)).toEqual(counts(incremental.summaries));
      // Not a vacuous comparison: the data set makes merges and review items.
      const total = (k: "merges" | "reviewItems") => incremental.summaries.reduce((n, s) => n + s[k], 0);
      expect(total("merges")).toBeGreaterThan(0);
      expect(total("reviewItems")).toBeGreaterThan(0);
      expect(digest(bulk.db, DIGESTED)).toEqual(digest(incremental.db, DIGESTED));
      // The indexes and the name index are back after the load.
      const indexes = (db: Db) => db.$client.prepare("select name from sqlite_master where type in ('index', 'trigger') order by name").pluck().all();
      expect(indexes(bulk.db)).toEqual(indexes(incremental.db));
    } finally {
      incremental.db.$client.close();
      bulk.db.$client.close();
    }
  }, 300_000);

  it("loads several files in one run as it loads them one run after another: one read of the store, one write", async () => {
    const perFile = await load("per-file.db", "auto");
    const db = openDatabase(store.copy("one-run.db"));
    try {
      const inputs = CUSTOMER_SOURCES.map((source) => ({ source, file: files.find((f) => f.source === source)!.file }));
      const oneRun = await importFiles(db, inputs, { kind: "customers" });
      expect(perFile.summaries.map((s) => s.path.taken)).toEqual(["bulk", "bulk", "bulk", "bulk"]);
      // Judged on the rows of all the files.
      const rows = perFile.summaries.reduce((n, s) => n + s.read, 0).toLocaleString("en-GB");
      expect(oneRun.map((s) => s.path)).toEqual(
        inputs.map(() => ({ taken: "bulk", why: expect.stringMatching(new RegExp(`at most 4× the 4 files' ${rows}$`)) })),
      );
      // Each file's own figures and rejects file, as its own run reports them.
      const withoutPath = (s: ImportSummary[]) => s.map(({ path: _, ...figures }) => figures);
      expect(withoutPath(oneRun)).toEqual(withoutPath(perFile.summaries));
      // Not a vacuous comparison: the later files merge profiles the earlier ones made.
      expect(perFile.summaries.slice(1).some((s) => s.merges > 0 && s.reviewItems > 0)).toBe(true);
      expect(digest(db, DIGESTED)).toEqual(digest(perFile.db, DIGESTED));
    } finally {
      perFile.db.$client.close();
      db.$client.close();
    }
  }, 300_000);

  it("leaves a store holding many more records than the file to the incremental path", async () => {
    const { db, summaries } = await load(
      "mixed.db",
      "auto",
      files.filter((f) => f.source !== "app"),
    );
    try {
      const app = files.find((f) => f.source === "app")!;
      const small = path.join(dir, "app-few.jsonl");
      fs.writeFileSync(small, fs.readFileSync(app.file, "utf8").split("\n").slice(0, 200).join("\n"));
      expect(summaries.every((s) => s.path.taken === "bulk")).toBe(true);
      const s = await importFile(db, { source: "app", file: small, kind: "customers" });
      expect(s.path).toEqual({ taken: "incremental", why: expect.stringMatching(/more than 4× the file's 200$/) });
    } finally {
      db.$client.close();
    }
  }, 300_000);

  it("falls back to the incremental path, with nothing half-written, when a file changes a record it sent before", async () => {
    const loyalty = files.find((f) => f.source === "loyalty")!;
    const lines = fs.readFileSync(loyalty.file, "utf8").trim().split("\n");
    const changed = { ...JSON.parse(lines[0]), city: "Elsewhere" };
    const twice = path.join(dir, "loyalty-twice.jsonl");
    fs.writeFileSync(twice, [...lines, JSON.stringify(changed)].join("\n"));
    const bulk = await load("twice-bulk.db", "auto", [{ ...loyalty, file: twice }]);
    const incremental = await load("twice-incremental.db", "incremental", [{ ...loyalty, file: twice }]);
    try {
      expect(bulk.summaries[0].path).toEqual({ taken: "incremental", why: expect.stringMatching(/^the bulk load stopped: loyalty customer .* is sent twice/) });
      expect(bulk.summaries[0].updated).toBe(1);
      expect(digest(bulk.db, DIGESTED)).toEqual(digest(incremental.db, DIGESTED));
    } finally {
      bulk.db.$client.close();
      incremental.db.$client.close();
    }
  }, 300_000);

  it("loads all the files of a run again the incremental way when a later file changes a record an earlier one sent", async () => {
    const loyalty = files.find((f) => f.source === "loyalty")!;
    const ecom = files.find((f) => f.source === "ecom")!;
    const first = fs.readFileSync(loyalty.file, "utf8").split("\n")[0];
    const resent = path.join(dir, "loyalty-resent.jsonl");
    fs.writeFileSync(resent, `${JSON.stringify({ ...JSON.parse(first), city: "Elsewhere" })}\n`);
    const inputs = [
      { source: "loyalty", file: loyalty.file },
      { source: "ecom", file: ecom.file },
      { source: "loyalty", file: resent },
    ];
    const oneRun = openDatabase(store.copy("resent-one-run.db"));
    const perFile = openDatabase(store.copy("resent-per-file.db"));
    try {
      const summaries = await importFiles(oneRun, inputs, { kind: "customers" });
      expect(summaries.map((s) => s.path)).toEqual(
        inputs.map(() => ({ taken: "incremental", why: expect.stringMatching(/^the bulk load stopped: loyalty customer .* is sent twice/) })),
      );
      expect(summaries[2]).toMatchObject({ read: 1, updated: 1 });
      for (const input of inputs) await importFile(perFile, { ...input, kind: "customers", path: "incremental" });
      expect(digest(oneRun, DIGESTED)).toEqual(digest(perFile, DIGESTED));
    } finally {
      oneRun.$client.close();
      perFile.$client.close();
    }
  }, 300_000);

  it("builds the list figures from the orders it kept as from the store's orders, an order placed before its profile was merged included", () => {
    const db = openDatabase(store.copy("kept-orders.db"));
    try {
      // The lists are built from the kept orders only when the load wrote every order the store holds.
      db.$client.exec("delete from order_lines; delete from orders");
      const load = new BulkLoad(createIngestContext(db, () => REFERENCE_NOW));
      const [shirt, scarf] = db.$client.prepare("select sku from products order by id limit 2").pluck().all() as string[];
      const day = 86_400_000;
      const tables = [...CUSTOMER_TABLES, "orders", "order_lines", "interactions"];
      const ada = { firstName: "Ada", lastName: "Quist", birthDate: "1980-02-03" };
      let till = 0;
      inBulkTransaction(db, tables, () => {
        load.begin(tables);
        load.add({ source: "loyalty", sourceCustomerId: "L1", ...ada, email: "ada.quist@example.org" });
        till = load.add({ source: "pos", sourceCustomerId: "P1", firstName: "Ada", lastName: "Quist", phone: "07834 562918" }).profileId;
        // On the till profile, which the web record below merges into the loyalty one.
        load.addOrder({
          source: "pos",
          externalId: "O1",
          sourceCustomerId: "P1",
          channel: "store",
          storeCode: "LDN",
          placedAt: REFERENCE_NOW - 30 * day,
          lines: [
            { sku: shirt, quantity: 1, unitPrice: 4500 },
            { sku: scarf, quantity: 2, unitPrice: 1500 },
          ],
        });
        load.add({ source: "ecom", sourceCustomerId: "E1", ...ada, email: "ada.quist@example.org", phone: "07834 562918" });
        load.addOrder({
          source: "pos",
          externalId: "O2",
          sourceCustomerId: "P1",
          channel: "store",
          storeCode: "LDN",
          placedAt: REFERENCE_NOW - 9 * day,
          lines: [{ sku: scarf, quantity: -1, unitPrice: 1500 }],
        });
        load.addOrder({
          source: "loyalty",
          externalId: "O3",
          sourceCustomerId: "L1",
          channel: "store",
          storeCode: "MAN",
          placedAt: REFERENCE_NOW - 2 * day,
          lines: [{ sku: shirt, quantity: 1, unitPrice: 4500 }],
        });
        load.addOrder({
          source: "ecom",
          externalId: "O4",
          sourceCustomerId: "E1",
          channel: "online",
          placedAt: REFERENCE_NOW - day,
          lines: [{ sku: scarf, quantity: 1, unitPrice: 1500 }],
        });
        load.finish();
      });
      expect(db.$client.prepare("select absorbed_id from merge_events").pluck().all()).toEqual([till]);
      const lists = { store_customer_stats: [], store_customer_purchases: [] };
      const kept = load.loadedOrders();
      expect(kept?.orderCount).toBe(3);
      rebuildStoreCustomerStats(db, kept!);
      const fromKept = digest(db, lists);
      const rows = db.$client
        .prepare("select s.code, l.profile_id, l.order_count, l.spend from store_customer_stats l join stores s on s.id = l.store_id order by s.code")
        .raw()
        .all();
      rebuildStoreCustomerStats(db);
      expect(fromKept).toEqual(digest(db, lists));
      const survivor = db.$client.prepare("select merged_into from profiles where id = ?").pluck().get(till);
      // The return counts against the spend, not as a purchase; the online order is on no store's list.
      expect(rows).toEqual([
        ["LDN", survivor, 1, 6000],
        ["MAN", survivor, 1, 4500],
      ]);
    } finally {
      db.$client.close();
    }
  });

  it("leaves the list figures to the store's orders when the store held orders before the load", () => {
    const db = openDatabase(store.copy("held-orders.db"));
    try {
      const load = new BulkLoad(createIngestContext(db, () => REFERENCE_NOW));
      const tables = [...CUSTOMER_TABLES, "orders", "order_lines", "interactions"];
      inBulkTransaction(db, tables, () => {
        load.begin(tables);
        load.finish();
      });
      expect(db.$client.prepare("select count(*) from orders").pluck().get()).toBeGreaterThan(0);
      expect(load.loadedOrders()).toBeNull();
    } finally {
      db.$client.close();
    }
  });

  it("generates the store the generator's incremental path generates: customers, merges, orders, statistics and list figures", () => {
    const generate = (name: string, path_: "bulk" | "incremental"): { db: Db; summary: SeedSummary } => {
      const db = openDatabase(path.join(dir, name));
      return { db, summary: seedDemo(db, { profiles: 1500, seed: 3, path: path_ }) };
    };
    const bulk = generate("generated-bulk.db", "bulk");
    const incremental = generate("generated-incremental.db", "incremental");
    try {
      const { elapsedMs: _a, ...bulkSummary } = bulk.summary;
      const { elapsedMs: _b, ...incrementalSummary } = incremental.summary;
      expect(bulkSummary).toEqual(incrementalSummary);
      expect(incrementalSummary.merges).toBeGreaterThan(0);
      const all = { ...DIGESTED, ...GENERATED };
      expect(digest(bulk.db, all)).toEqual(digest(incremental.db, all));
      // Merged profiles' orders were moved to their survivor, as the merge moves them.
      expect(
        bulk.db.$client.prepare("select count(*) from orders o join profiles p on p.id = o.profile_id where p.merged_into is not null").pluck().get(),
      ).toBe(0);
    } finally {
      bulk.db.$client.close();
      incremental.db.$client.close();
    }
  }, 300_000);
});
