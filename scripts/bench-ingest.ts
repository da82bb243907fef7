/**
 * `npm run bench:ingest -- [--records 1000000] [--seed 1] [--dir tmpdir] [--keep] [--per-file]`:
 * builds source exports of N customer records from 4 sources (the demo generator's people, overlaps
 * and noise) plus their orders, then in one run:
 *   1. imports them with identity resolution into a fresh store through the import code path, the
 *      four customer files in one import run as `npm run import` takes them (--per-file: one import
 *      run per file, as they had to be loaded before a run took several);
 *   2. bulk-inserts the same rows into the same tables of another fresh store with plain prepared
 *      INSERTs (no normalising, linking or survivorship: one profile per record, its golden fields
 *      copied from the record), the floor the import is measured against;
 *   3. imports 10,000 more customer records into the full store (an incremental batch).
 * It prints records/s for each, peak memory (RSS sampled every 50 ms) and RSS along the import.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { rawInserts, referenceIds } from "@/db/bench";
import { type Db, inTransaction, openDatabase } from "@/db/client";
import { checkpoint, closeDatabase } from "@/db/maintenance";
import { seedDemo } from "@/lib/demo/demo";
import { CUSTOMER_SOURCES, type SourceFile, writeSourceFiles } from "@/lib/demo/source-files";
import { importFile, importFiles } from "@/lib/identity/import";
import { countLiveProfiles } from "@/lib/identity/figures";
import { GOLDEN_FIELDS } from "@/lib/identity/survivorship";

const USAGE = "tsx scripts/bench-ingest.ts [--records 1000000] [--seed 1] [--dir <work dir>] [--keep] [--per-file]";
const INCREMENTAL_RECORDS = 10_000;

const { values } = parseArgs({
  options: {
    records: { type: "string" },
    seed: { type: "string" },
    dir: { type: "string" },
    keep: { type: "boolean" },
    "per-file": { type: "boolean" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const records = Number((values.records ?? "1000000").replace(/_/g, ""));
const seed = Number(values.seed ?? "1");
if (!Number.isSafeInteger(records) || records < 1000 || !Number.isSafeInteger(seed)) {
  console.error(`--records must be a whole number of at least 1000.\n${USAGE}`);
  process.exit(2);
}
const dir = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "clientele-bench-ingest-"));
fs.mkdirSync(dir, { recursive: true });

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const log = (line: string) => process.stdout.write(`${line}\n`);

/** RSS high-water marks per phase, sampled while the streaming import yields between batches. */
class MemoryWatch {
  peak = 0;
  private timer = setInterval(() => this.sample(), 50);
  sample(): number {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    return rss;
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

function freshStore(base: string, name: string): Db {
  const file = path.join(dir, name);
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  fs.copyFileSync(base, file);
  return openDatabase(file);
}

async function* jsonLines(file: string): AsyncGenerator<Record<string, unknown>> {
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) if (line) yield JSON.parse(line);
}

/** CPU seconds of this process: on a shared machine wall-clock rates mostly measure the neighbours. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Step 1: every file through importFiles, customers (loyalty first, all in one run unless --per-file) then orders. */
async function resolvedLoad(db: Db, files: SourceFile[], rssAlong: number[]) {
  const customerFiles = files.filter((f) => f.kind === "customers");
  const total = customerFiles.reduce((n, f) => n + f.items, 0);
  const marks = [0.1, 0.5, 1].map((share) => Math.round(share * total));
  let done = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  const runs = values["per-file"] ? customerFiles.map((f) => [f]) : [customerFiles];
  for (const run of runs) {
    const before = done;
    await importFiles(
      db,
      run.map((f) => ({ source: f.source, file: f.file })),
      {
        kind: "customers",
        onProgress: (p) => {
          done = before + p.read;
          while (marks.length && done >= marks[0]) {
            marks.shift();
            rssAlong.push(process.memoryUsage.rss());
          }
        },
      },
    );
    done = before + run.reduce((n, f) => n + f.items, 0);
  }
  const customerMs = performance.now() - t0;
  const customerCpuMs = cpuMs() - c0;
  const t1 = performance.now();
  let orders = 0;
  for (const f of files.filter((x) => x.kind === "orders")) {
    const s = await importFile(db, { kind: "orders", source: f.source, file: f.file });
    orders += s.inserted + s.updated + s.unchanged;
  }
  return { customers: total, customerMs, customerCpuMs, orders, orderMs: performance.now() - t1 };
}

/** Step 2: the same rows, plain prepared INSERTs in transactions of 1,000. */
async function rawLoad(db: Db, files: SourceFile[]) {
  const ids = referenceIds(db);
  const insert = rawInserts(db);
  const text = (v: unknown) => (typeof v === "string" ? v : null);

  const run = async (file: string, write: (row: Record<string, unknown>, now: number) => void) => {
    let batch: Record<string, unknown>[] = [];
    const flush = () => {
      const now = Date.now();
      inTransaction(db, () => batch.forEach((row) => write(row, now)));
      batch = [];
    };
    for await (const row of jsonLines(file)) {
      batch.push(row);
      if (batch.length === 1000) flush();
    }
    flush();
  };

  const t0 = performance.now();
  const c0 = cpuMs();
  let customers = 0;
  for (const f of files.filter((x) => x.kind === "customers")) {
    const sourceId = ids.sources.get(f.source)!;
    await run(f.file, (r, now) => {
      const at = (r.updatedAt as number | undefined) ?? now;
      const lineage = Object.fromEntries(GOLDEN_FIELDS.filter((k) => text(r[k])).map((k) => [k, { source: f.source, updatedAt: at }]));
      const consents = Object.fromEntries(
        Object.entries((r.consents as Record<string, boolean> | undefined) ?? {}).map(([k, granted]) => [k, { granted, at, source: f.source }]),
      );
      const profileId = insert.profile(...GOLDEN_FIELDS.map((k) => text(r[k])), JSON.stringify(lineage), JSON.stringify(consents), now, now);
      const payload = JSON.stringify(r);
      const recordId = insert.record(
        sourceId,
        r.sourceCustomerId,
        profileId,
        text(r.firstName),
        text(r.lastName),
        text(r.email),
        text(r.phone),
        text(r.loyaltyId),
        text(r.birthDate),
        text(r.address),
        text(r.postcode),
        text(r.city),
        text(r.country),
        text(r.tier),
        r.consents ? JSON.stringify(r.consents) : null,
        payload,
        createHash("sha1").update(payload).digest("base64url"),
        r.updatedAt ?? now,
        now,
        now,
      );
      for (const [type, field] of [
        ["loyalty", "loyaltyId"],
        ["email", "email"],
        ["phone", "phone"],
      ] as const) {
        const v = text(r[field]);
        if (v) insert.identifier(type, v, profileId, recordId, now);
      }
      customers++;
    });
  }
  const customerMs = performance.now() - t0;
  const customerCpuMs = cpuMs() - c0;
  const t1 = performance.now();
  let orders = 0;
  for (const f of files.filter((x) => x.kind === "orders")) {
    const sourceId = ids.sources.get(f.source)!;
    await run(f.file, (o, now) => {
      const customer = o.sourceCustomerId ? insert.recordByKey(ids.sources.get((o.customerSource as string) ?? f.source), o.sourceCustomerId) : undefined;
      const lines = o.lines as { sku: string; quantity: number; unitPrice: number }[];
      const total = lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
      const orderId = insert.order(
        sourceId,
        o.externalId,
        customer?.id ?? null,
        customer?.profileId ?? null,
        o.channel,
        o.storeCode ? ids.stores.get(o.storeCode as string) : null,
        o.placedAt,
        total,
        now,
      );
      if (orderId === null) return;
      lines.forEach((l, i) => insert.line(orderId, i + 1, ids.products.get(l.sku), l.quantity, l.unitPrice));
      orders++;
    });
  }
  return { customers, customerMs, customerCpuMs, orders, orderMs: performance.now() - t1 };
}

/**
 * Half of the incremental batch: new records of people already in the store, as a new system's
 * export would bring them (own IDs, half without the email), so the batch links into existing
 * profiles and not only creates new ones. The same seed gives the same first people as the bulk files.
 */
function returningPeople(target: string, n: number): SourceFile[] {
  const again = writeSourceFiles(target, { records: n, seed });
  const out: SourceFile[] = [];
  for (const f of again.files.filter((x) => x.kind === "customers")) {
    const lines = fs.readFileSync(f.file, "utf8").split("\n").filter(Boolean);
    const changed = lines.map((line, i) => {
      const r = JSON.parse(line);
      r.sourceCustomerId = `R-${r.sourceCustomerId}`;
      if (i % 2 === 0) r.email = null;
      return JSON.stringify(r);
    });
    fs.writeFileSync(f.file, `${changed.join("\n")}\n`);
    out.push({ ...f, items: changed.length });
  }
  return out;
}

async function main() {
  log(`Work directory ${dir}`);
  let t = performance.now();
  const bulk = writeSourceFiles(path.join(dir, "bulk"), { records, seed });
  const incremental = writeSourceFiles(path.join(dir, "incremental"), {
    records: INCREMENTAL_RECORDS / 2,
    seed: seed + 1,
    firstPerson: bulk.nextPerson,
    withOrders: false,
  });
  incremental.files.push(...returningPeople(path.join(dir, "returning"), INCREMENTAL_RECORDS / 2));
  const count = (files: SourceFile[], kind: string) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.items, 0);
  log(
    `Generated ${fmt(count(bulk.files, "customers"))} customer records of ${fmt(bulk.people)} people from ${CUSTOMER_SOURCES.length} sources and ${fmt(count(bulk.files, "orders"))} orders in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const base = path.join(dir, "base.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(base + suffix, { force: true });
  const seedDb = openDatabase(base);
  seedDemo(seedDb, { profiles: 0 });
  checkpoint(seedDb);
  closeDatabase(seedDb);

  const watch = new MemoryWatch();
  const rssAlong: number[] = [];
  const resolvedDb = freshStore(base, "resolved.db");
  log("Importing with identity resolution…");
  const resolved = await resolvedLoad(resolvedDb, bulk.files, rssAlong);
  const importPeak = watch.peak;

  log("Raw bulk insert of the same rows…");
  const rawDb = freshStore(base, "raw.db");
  const raw = await rawLoad(rawDb, bulk.files);
  closeDatabase(rawDb);

  log(`Incremental batch of ${fmt(count(incremental.files, "customers"))} customer records into the full store…`);
  t = performance.now();
  const c0 = cpuMs();
  let incrementalRecords = 0;
  let incrementalNew = 0;
  let incrementalMerges = 0;
  for (const f of incremental.files.filter((x) => x.kind === "customers")) {
    const s = await importFile(resolvedDb, { kind: "customers", source: f.source, file: f.file });
    incrementalRecords += s.read;
    incrementalNew += s.profilesCreated;
    incrementalMerges += s.merges;
  }
  const incrementalMs = performance.now() - t;
  const incrementalCpuMs = cpuMs() - c0;
  const profiles = countLiveProfiles(resolvedDb);
  closeDatabase(resolvedDb);
  const peak = watch.stop();

  const rate = (n: number, ms: number) => n / (ms / 1000);
  const perRecord = (n: number, ms: number) => `${((ms * 1000) / n).toFixed(0)} µs/record`;
  const rows: [string, string][] = [
    ["customer records", `${fmt(resolved.customers)} → ${fmt(profiles)} profiles`],
    [
      `import + resolution (${values["per-file"] ? "one run per file" : "one run, 4 files"})`,
      `${fmt(rate(resolved.customers, resolved.customerMs))} records/s (${(resolved.customerMs / 1000).toFixed(1)} s, ${perRecord(resolved.customers, resolved.customerMs)})`,
    ],
    ["raw bulk insert", `${fmt(rate(raw.customers, raw.customerMs))} records/s (${(raw.customerMs / 1000).toFixed(1)} s)`],
    ["import / raw", `${(resolved.customerMs / raw.customerMs).toFixed(1)}× the raw insert's time`],
    [
      "on CPU time",
      `import ${fmt(rate(resolved.customers, resolved.customerCpuMs))} records/CPU-s, raw ${fmt(rate(raw.customers, raw.customerCpuMs))} (${(resolved.customerCpuMs / raw.customerCpuMs).toFixed(1)}×)`,
    ],
    [
      "orders imported",
      `${fmt(rate(resolved.orders, resolved.orderMs))} orders/s (${fmt(resolved.orders)} in ${(resolved.orderMs / 1000).toFixed(1)} s); raw ${fmt(rate(raw.orders, raw.orderMs))} orders/s`,
    ],
    [
      "incremental batch",
      `${fmt(incrementalRecords)} records (${fmt(incrementalRecords - incrementalNew)} joined existing profiles, ${fmt(incrementalMerges)} merges) in ${(incrementalMs / 1000).toFixed(1)} s, ${perRecord(incrementalRecords, incrementalMs)} (bulk ${perRecord(resolved.customers, resolved.customerMs)}); CPU ${perRecord(incrementalRecords, incrementalCpuMs)} (bulk ${perRecord(resolved.customers, resolved.customerCpuMs)})`,
    ],
    ["RSS along the import", rssAlong.map((r, i) => `${["10%", "50%", "100%"][i]} ${mb(r)}`).join(", ")],
    ["peak RSS", `${mb(importPeak)} during the import, ${mb(peak)} overall`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  log("");
  for (const [k, v] of rows) log(`${k.padEnd(width)}  ${v}`);
  if (!values.keep && !values.dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
