import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "@/db/client";
import { CUSTOMER_SOURCES, type SourceFile, writeSourceFiles } from "@/lib/demo/source-files";
import { type ImportPath, type ImportSummary, importFile } from "@/lib/identity/import";
import { emptyDemoStore, storeDigest } from "@/lib/test/demo-store";

/**
 * A source's first orders load in bulk into the store ingestOrder would give: one generated data
 * set's customers loaded into copies of one store, then its orders both ways, must give the same
 * orders, lines, profile figures and store-list figures, IDs included.
 */

const store = emptyDemoStore("clientele-orders-bulk-");
let files: SourceFile[];

/** Every column but the wall-clock stamps. */
const WRITTEN: Record<string, string[]> = {
  orders: ["created_at"],
  order_lines: [],
  profiles: ["created_at", "updated_at"],
  store_customer_stats: [],
  store_customer_purchases: [],
};

beforeAll(async () => {
  store.create();
  files = writeSourceFiles(path.join(store.dir, "files"), { records: 3000, seed: 7 }).files;
  const db = openDatabase(store.copy("customers.db"));
  try {
    for (const source of CUSTOMER_SOURCES) {
      const f = files.find((x) => x.kind === "customers" && x.source === source);
      if (f) await importFile(db, { source, file: f.file, kind: "customers" });
    }
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.$client.close();
  }
}, 120_000);

afterAll(() => store.remove());

function withCustomers(name: string): Db {
  const file = path.join(store.dir, name);
  fs.copyFileSync(path.join(store.dir, "customers.db"), file);
  return openDatabase(file);
}

async function loadOrders(db: Db, path_: ImportPath | "auto", orderFiles: SourceFile[]): Promise<ImportSummary[]> {
  const out: ImportSummary[] = [];
  for (const f of orderFiles) out.push(await importFile(db, { source: f.source, file: f.file, kind: "orders", path: path_ }));
  return out;
}

const counts = (s: ImportSummary[]) => s.map(({ read, inserted, updated, unchanged, rejected }) => ({ read, inserted, updated, unchanged, rejected }));

describe("bulk order load", () => {
  it("writes the orders, lines, profile figures and list figures the incremental path writes", async () => {
    const orderFiles = files.filter((f) => f.kind === "orders");
    // One order naming an unknown customer, one an unknown SKU among good lines: rejected, and kept without the line.
    const first = orderFiles[0];
    const lines = fs.readFileSync(first.file, "utf8").trim().split("\n");
    const bad = { ...JSON.parse(lines[0]), externalId: "X-1", sourceCustomerId: "nobody", customerSource: null };
    const partly = JSON.parse(lines[1]);
    partly.externalId = "X-2";
    partly.lines = [...partly.lines, { sku: "NO-SUCH-SKU", quantity: 1, unitPrice: 100 }];
    const edited = path.join(store.dir, "orders-edited.jsonl");
    fs.writeFileSync(edited, [...lines, JSON.stringify(bad), JSON.stringify(partly)].join("\n"));
    const sources = [{ ...first, file: edited }, ...orderFiles.slice(1)];
    const incremental = withCustomers("incremental.db");
    const bulk = withCustomers("bulk.db");
    try {
      const a = await loadOrders(incremental, "incremental", sources);
      const b = await loadOrders(bulk, "auto", sources);
      expect(b.map((s) => s.path.taken)).toEqual(sources.map(() => "bulk"));
      expect(counts(b)).toEqual(counts(a));
      expect(a[0].rejected).toBe(2);
      // The demo chain's own orders share IDs with generated ones: re-sent orders, replayed in their place.
      expect(a.reduce((sum, s) => sum + s.updated, 0)).toBeGreaterThan(0);
      // Not a vacuous comparison: orders on profiles, figures on store lists.
      const n = (db: Db, sql: string) => db.$client.prepare(sql).pluck().get() as number;
      expect(n(incremental, "select count(*) from orders where profile_id is not null")).toBeGreaterThan(1000);
      expect(n(incremental, "select count(*) from store_customer_stats where order_count > 1")).toBeGreaterThan(10);
      expect(n(incremental, "select count(*) from store_customer_purchases")).toBeGreaterThan(100);
      expect(storeDigest(bulk, WRITTEN)).toEqual(storeDigest(incremental, WRITTEN));
      expect(fs.readFileSync(`${edited}.rejects.csv`, "utf8")).toMatch(/Unknown SKU ""NO-SUCH-SKU"" \(line left out, order kept\)/);
      // The same file again: every order is in the store, unchanged.
      const again = await importFile(bulk, { source: first.source, file: edited, kind: "orders" });
      expect(again.path.taken).toBe("bulk");
      expect(again.unchanged).toBe(a[0].inserted + a[0].updated);
    } finally {
      incremental.$client.close();
      bulk.$client.close();
    }
  }, 300_000);

  it("falls back to the incremental path, with nothing half-written, when a file sends an order twice with other lines", async () => {
    const f = files.find((x) => x.kind === "orders")!;
    const lines = fs.readFileSync(f.file, "utf8").trim().split("\n");
    const changed = JSON.parse(lines[0]);
    changed.lines = changed.lines.map((l: { quantity: number }) => ({ ...l, quantity: l.quantity + 1 }));
    const twice = path.join(store.dir, "orders-twice.jsonl");
    fs.writeFileSync(twice, [...lines, JSON.stringify(changed)].join("\n"));
    const bulk = withCustomers("twice-bulk.db");
    const incremental = withCustomers("twice-incremental.db");
    try {
      const [b] = await loadOrders(bulk, "auto", [{ ...f, file: twice }]);
      const [a] = await loadOrders(incremental, "incremental", [{ ...f, file: twice }]);
      expect(b.path).toEqual({ taken: "incremental", why: expect.stringMatching(/^the bulk load stopped: .* order .* is sent twice$/) });
      expect(counts([b])).toEqual(counts([a]));
      expect(storeDigest(bulk, WRITTEN)).toEqual(storeDigest(incremental, WRITTEN));
    } finally {
      bulk.$client.close();
      incremental.$client.close();
    }
  }, 300_000);
});
