import fs from "node:fs";
import { csvRow } from "@/lib/csv";
import readline from "node:readline";
import { parse } from "csv-parse";
import { desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { type Db, databaseFile, openDatabase } from "@/db/client";
import { closeDatabase, copyDatabase } from "@/db/maintenance";
import { mergeEvents, reviewQueue, sources } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { ItemOf } from "@/lib/ingest/apply";
import { type EntryResult, ingestEntriesGivingWay } from "@/lib/ingest/batch";
import { ITEM_SCHEMAS, type IngestKind, fieldErrors, mappableFields } from "@/lib/ingest/schemas";
import { MAX_JSON_DEPTH, nestedTooDeep } from "@/lib/validate";
import { OrderBulkLoad } from "@/lib/ingest/orders-bulk";
import { BulkLoad, BulkNotApplicable, loadInBulk, chooseImportPath } from "./bulk";
import { type CustomerRecordInput, createIngestContext } from "./ingest";

/** Our field → the file's column (or columns, joined by a space, e.g. street number and street). */
export const mappingSchema = z.object({
  fields: z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])),
  trim: z.boolean().optional(),
});
export type ImportMapping = z.infer<typeof mappingSchema>;

function checkMappingFields(mapping: ImportMapping, kind: IngestKind): string[] {
  const known = new Set(mappableFields(kind));
  return Object.keys(mapping.fields).filter((f) => !known.has(f) && !(kind === "customers" && /^consents\.[a-z_]+$/.test(f)));
}

export function readMapping(file: string, kind: IngestKind = "customers"): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new DomainError("invalid_input", `Mapping ${file}: ${(err as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new DomainError("invalid_input", `Mapping ${file}: ${z.prettifyError(parsed.error)}`);
  const unknown = checkMappingFields(parsed.data, kind);
  if (unknown.length)
    throw new DomainError(
      "invalid_input",
      `Mapping ${file}: ${unknown.join(", ")} ${unknown.length > 1 ? "are not fields" : "is not a field"} of ${kind} (${mappableFields(kind).join(", ")}).`,
    );
  return parsed.data;
}

export type Reject = { line: number; field: string; reason: string };
export type MappedRow = { ok: true; record: CustomerRecordInput } | ({ ok: false } & Omit<Reject, "line">);

function valueAt(row: Record<string, unknown>, column: string): unknown {
  if (column in row) return row[column];
  let node: unknown = row;
  for (const part of column.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** Sets `field` ("email", "consents.sms", "lines.sku") on an item; a file row holds one order line. */
function setField(item: Record<string, unknown>, field: string, value: unknown): void {
  const [head, sub] = field.split(".", 2);
  if (sub === undefined) item[head] = value;
  else if (head === "lines") ((item.lines ??= [{}]) as Record<string, unknown>[])[0][sub] = value;
  else ((item[head] ??= {}) as Record<string, unknown>)[sub] = value;
}

/** A file row as an item with our field names: through the mapping, or the row itself (dotted CSV columns nested). */
export function mapFields(row: Record<string, unknown>, mapping: ImportMapping | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  if (!mapping) {
    for (const [column, value] of Object.entries(row)) setField(item, column, value);
    return item;
  }
  for (const [field, columns] of Object.entries(mapping.fields)) {
    const list = Array.isArray(columns) ? columns : [columns];
    const first = valueAt(row, list[0]);
    // A nested JSON value (an order's lines, a consents object) is passed through as it is.
    if (list.length === 1 && first !== null && typeof first === "object") {
      setField(item, field, first);
      continue;
    }
    const parts = list
      .map((c) => valueAt(row, c))
      .filter((v) => v !== null && v !== undefined)
      .map((v) => (mapping.trim ? String(v).trim() : String(v)))
      .filter((v) => v !== "");
    // A blank consent column says nothing about that channel; a blank field is null.
    if (parts.length || !field.startsWith("consents.")) setField(item, field, parts.length ? parts.join(" ") : null);
  }
  return item;
}

/** One file row to one customer source record, or the first reason it cannot be one. */
export function mapRow(row: Record<string, unknown>, mapping: ImportMapping, source: string): MappedRow {
  const parsed = ITEM_SCHEMAS.customers.safeParse(mapFields(row, mapping));
  if (!parsed.success) {
    const [first] = fieldErrors(parsed.error);
    return { ok: false, field: first.field, reason: first.message };
  }
  const record: CustomerRecordInput = { source, sourceCustomerId: parsed.data.sourceCustomerId, payload: row };
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) (record as Record<string, unknown>)[k] = v;
  return { ok: true, record };
}

export type SourceSpec = { name: string; label?: string; trustRank?: number };

/** The source the import writes as: created when asked, otherwise it must exist. */
export function ensureSource(db: Db, spec: SourceSpec, create: boolean): void {
  if (db.select({ id: sources.id }).from(sources).where(eq(sources.name, spec.name)).get()) return;
  if (!create) throw new DomainError("unknown_source", `Unknown source "${spec.name}". Add --create-source [--trust-rank N] to create it.`);
  db.insert(sources)
    .values({ name: spec.name, label: spec.label ?? spec.name, trustRank: spec.trustRank ?? 100 })
    .run();
}

export type ImportProgress = { read: number; rejected: number; bytesRead: number; totalBytes: number };

export type ImportSummary = {
  kind: IngestKind;
  /** Rows (or JSON lines) read from the file; an order's lines may span several rows. */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  profilesCreated: number;
  merges: number;
  reviewItems: number;
  rejectsFile: string | null;
  /** How the rows were written, and why (bulk.ts). */
  path: { taken: ImportPath; why: string };
};

/** bulk: resolved in memory and written in one transaction (a first load); incremental: record by record, giving way to other writers. */
export type ImportPath = "bulk" | "incremental";

/** One file of an import run, and the source whose export it is. */
export type ImportInput = {
  source: string;
  file: string;
  mapping?: ImportMapping;
  /** Defaults to `<file>.rejects.csv`. */
  rejectsFile?: string;
};

/** What applies to every file of a run. */
export type ImportRunOptions = {
  kind?: IngestKind;
  batchSize?: number;
  /** Over the whole run: rows and bytes of the files read so far. */
  onProgress?: (p: ImportProgress) => void;
  /**
   * Customers and orders; by default customers go in bulk when the store is empty or nearly so
   * (chooseImportPath), orders when they are all new (OrderBulkLoad).
   */
  path?: ImportPath | "auto";
};

export type ImportOptions = ImportInput & ImportRunOptions;

type Row = { line: number; row: Record<string, unknown> } | { line: number; error: Reject };

const csvOptions = (trim: boolean) =>
  ({
    columns: (header: string[]) => header.map((h) => (trim ? h.trim() : h)),
    info: true,
    bom: true,
    trim,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
  }) as const;

/**
 * A quote that never closes swallows every line after it into one value, so those rows could be
 * neither imported nor rejected one by one. The file is read once before anything is written, and
 * such a file is refused whole, naming the line where the broken value starts.
 */
async function assertCsvQuotesClose(file: string, trim: boolean): Promise<number> {
  const input = fs.createReadStream(file);
  const parser = input.pipe(parse(csvOptions(trim)));
  let lastGoodLine = 1;
  let unclosed = false;
  let rows = 0;
  parser.on("skip", (err: Error & { code?: string }) => {
    if (err.code === "CSV_QUOTE_NOT_CLOSED") unclosed = true;
  });
  try {
    for await (const { info } of parser as AsyncIterable<{ info: { lines: number } }>) {
      lastGoodLine = info.lines;
      rows++;
    }
  } finally {
    input.destroy();
  }
  if (unclosed) {
    throw new DomainError(
      "invalid_input",
      `Line ${lastGoodLine + 1}: a quoted value starts here and is never closed, so the lines after it cannot be read. Nothing was imported; close the quote and import the file again.`,
    );
  }
  return rows;
}

/** Lines holding something: a JSON-lines file's rows, counted without parsing them. */
async function countJsonLines(file: string): Promise<number> {
  let rows = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) if (line.trim()) rows++;
  return rows;
}

async function* csvRows(input: fs.ReadStream, trim: boolean, skipped: Reject[]): AsyncGenerator<Row> {
  const parser = input.pipe(parse(csvOptions(trim)));
  parser.on("skip", (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? 0, field: "row", reason: err.message }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: info.lines, row: record };
  }
}

async function* jsonlRows(input: fs.ReadStream): AsyncGenerator<Row> {
  let line = 0;
  for await (const read of readline.createInterface({ input, crlfDelay: Infinity })) {
    line++;
    // A byte-order mark some editors put at the start of the file is not part of the first record.
    const text = line === 1 ? read.replace(/^\uFEFF/, "") : read;
    if (!text.trim()) continue;
    if (nestedTooDeep(text)) {
      yield { line, error: { line, field: "row", reason: `nested more than ${MAX_JSON_DEPTH} levels deep` } };
      continue;
    }
    try {
      const row = JSON.parse(text);
      if (!row || typeof row !== "object" || Array.isArray(row)) yield { line, error: { line, field: "row", reason: "not a JSON object" } };
      else yield { line, row };
    } catch {
      yield { line, error: { line, field: "row", reason: "not valid JSON" } };
    }
  }
}

type Pending = { line: number; raw: Record<string, unknown>; payload: unknown };

/** Where a file's batches go: the bulk loads (in memory) or the incremental path (written in short transactions). */
type Sink = (batch: Pending[]) => EntryResult[] | Promise<EntryResult[]>;

const emptySummary = (kind: IngestKind, path: ImportSummary["path"]): ImportSummary => ({
  kind,
  read: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  profilesCreated: 0,
  merges: 0,
  reviewItems: 0,
  rejectsFile: null,
  path,
});

/**
 * Reads one file into `sink` in batches and counts what became of each row; its rejects go to its
 * rejects file. Orders come one per JSON line with nested lines, or one CSV row per order line, the
 * rows of an order next to each other.
 */
async function readFileInto(
  kind: IngestKind,
  input: ImportInput,
  batchSize: number,
  summary: ImportSummary,
  sink: Sink,
  onProgress: (bytesRead: number) => void,
): Promise<void> {
  const { mapping } = input;
  const rejectsFile = input.rejectsFile ?? `${input.file}.rejects.csv`;
  fs.rmSync(rejectsFile, { force: true });
  let rejectsFd: number | null = null;
  const reject = (r: Reject) => {
    if (rejectsFd === null) {
      rejectsFd = fs.openSync(rejectsFile, "w");
      fs.writeSync(rejectsFd, "line,field,reason\n");
      summary.rejectsFile = rejectsFile;
    }
    fs.writeSync(rejectsFd, csvRow([r.line, r.field, r.reason], "\n"));
    summary.rejected++;
  };
  const flush = async (batch: Pending[]) => {
    if (batch.length === 0) return;
    const results = await sink(batch);
    results.forEach((r, i) => {
      if (!r.ok) {
        const [first] = r.errors;
        reject({ line: batch[i].line, field: first.field, reason: first.message });
        return;
      }
      for (const l of r.outcome.rejectedLines ?? []) reject({ line: batch[i].line, field: l.field, reason: `${l.message} (line left out, order kept)` });
      summary[r.outcome.status]++;
      if (r.outcome.createdProfile) summary.profilesCreated++;
      summary.merges += r.outcome.merges ?? 0;
      summary.reviewItems += r.outcome.reviewItems ?? 0;
    });
  };

  const input_ = fs.createReadStream(input.file);
  const skipped: Reject[] = [];
  const rows = /\.jsonl?$/i.test(input.file) ? jsonlRows(input_) : csvRows(input_, mapping?.trim ?? false, skipped);
  let batch: Pending[] = [];
  // The rows of one order arrive together: an order is complete when the next row names another.
  let order: Pending | null = null;
  const push = async (item: Pending) => {
    batch.push(item);
    if (batch.length >= batchSize) {
      await flush(batch);
      batch = [];
      onProgress(input_.bytesRead);
    }
  };
  try {
    for await (const entry of rows) {
      summary.read++;
      for (const s of skipped.splice(0)) {
        summary.read++;
        reject(s);
      }
      if ("error" in entry) {
        reject(entry.error);
        continue;
      }
      const raw = mapFields(entry.row, mapping);
      const item = { line: entry.line, raw, payload: entry.row };
      if (kind !== "orders") {
        await push(item);
      } else if (order && raw.externalId !== undefined && order.raw.externalId === raw.externalId && Array.isArray(raw.lines)) {
        (order.raw.lines as unknown[]).push(...raw.lines);
      } else {
        if (order) await push(order);
        order = item;
      }
    }
    if (order) await push(order);
    for (const s of skipped.splice(0)) {
      summary.read++;
      reject(s);
    }
    await flush(batch);
  } finally {
    input_.destroy();
    if (rejectsFd !== null) fs.closeSync(rejectsFd);
  }
}

/** importFiles for one file. */
export async function importFile(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const [summary] = await importFiles(db, [options], options);
  return summary;
}

/**
 * Streams CSV or JSON-lines files of one kind into the store, in the order given, each file as
 * its own source's export, with a summary and a rejects file per file. Incrementally the rows are
 * batched into one transaction each, every item in its own savepoint so a bad one is rejected
 * without half-writing, file after file. Customer files that go in bulk go through one BulkLoad:
 * the store is read once, every file's records are resolved in turn, and everything is written in
 * one transaction at the end (all files or none), as loading them one run after another would.
 */
export async function importFiles(db: Db, inputs: ImportInput[], options: ImportRunOptions = {}): Promise<ImportSummary[]> {
  const kind = options.kind ?? "customers";
  if (inputs.length === 0) throw new DomainError("invalid_input", "Give at least one file to import.");
  for (const { mapping } of inputs) {
    const unknown = mapping ? checkMappingFields(mapping, kind) : [];
    if (unknown.length) throw new DomainError("invalid_input", `The mapping names ${unknown.join(", ")}, not fields of ${kind}.`);
  }
  const batchSize = options.batchSize ?? 1000;
  const sizes = inputs.map((i) => fs.statSync(i.file).size);
  // Every CSV file is read once before anything is written: one that cannot be read whole refuses the run.
  const csvRowCounts: (number | null)[] = [];
  for (const i of inputs) csvRowCounts.push(/\.jsonl?$/i.test(i.file) ? null : await assertCsvQuotesClose(i.file, i.mapping?.trim ?? false));
  const ctx = createIngestContext(db);
  for (const { source } of inputs) if (!ctx.sources.has(source)) throw new DomainError("unknown_source", `Unknown source "${source}".`);

  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  /** Reads file i; `earlier` are the summaries of the files before it, for the run's progress. */
  const read = async (i: number, earlier: ImportSummary[], summary: ImportSummary, sink: Sink) => {
    const bytesBefore = sizes.slice(0, i).reduce((a, b) => a + b, 0);
    const sum = (k: "read" | "rejected") => earlier.reduce((n, s) => n + s[k], summary[k]);
    const progress = (bytesRead: number) =>
      options.onProgress?.({ read: sum("read"), rejected: sum("rejected"), bytesRead: bytesBefore + bytesRead, totalBytes });
    await readFileInto(kind, inputs[i], batchSize, summary, sink, progress);
    progress(sizes[i]);
  };

  let path: ImportSummary["path"] = {
    taken: "incremental",
    why: options.path === "incremental" && (kind === "customers" || kind === "orders") ? "asked for" : `${kind} are written one by one`,
  };
  if (kind === "customers" && options.path !== "incremental") {
    let rows: number | null = null;
    if (options.path !== "bulk") {
      rows = 0;
      for (const [i, input] of inputs.entries()) rows += csvRowCounts[i] ?? (await countJsonLines(input.file));
    }
    const decision = chooseImportPath(db, rows, inputs.length);
    path = { taken: decision.bulk ? "bulk" : "incremental", why: decision.why };
    if (decision.bulk) {
      const schema = ITEM_SCHEMAS.customers as z.ZodType<ItemOf["customers"]>;
      const summaries = inputs.map(() => emptySummary(kind, path));
      try {
        const bulk = new BulkLoad(ctx);
        for (const [i, { source }] of inputs.entries())
          await read(i, summaries.slice(0, i), summaries[i], (batch) => bulk.addEntries(source, schema, batch).results);
        loadInBulk(db, bulk);
        return summaries;
      } catch (err) {
        if (!(err instanceof BulkNotApplicable)) throw err;
        // Nothing is written before the end of a bulk load: the files are loaded again the incremental way.
        const again = await importFiles(db, inputs, { ...options, path: "incremental" });
        return again.map((s) => ({ ...s, path: { taken: "incremental", why: `the bulk load stopped: ${err.message}` } }));
      }
    }
  }
  const summaries: ImportSummary[] = [];
  for (const [i, { source }] of inputs.entries()) {
    let taken = path;
    if (kind === "orders" && options.path !== "incremental") {
      const why = OrderBulkLoad.notApplicable(db);
      taken = { taken: "incremental", why: why ?? "" };
      if (!why) {
        const summary = emptySummary(kind, { taken: "bulk", why: "new orders, no suggestion waiting for a purchase" });
        try {
          const orders = new OrderBulkLoad(ctx, source);
          await read(i, summaries, summary, (batch) => orders.addEntries(ITEM_SCHEMAS.orders as z.ZodType<ItemOf["orders"]>, batch).results);
          orders.finish();
          summaries.push(summary);
          continue;
        } catch (err) {
          if (!(err instanceof BulkNotApplicable)) throw err;
          // Nothing was written: the file is loaded again the incremental way.
          taken.why = `the bulk load stopped: ${err.message}`;
        }
      }
    }
    const summary = emptySummary(kind, taken);
    const schema = ITEM_SCHEMAS[kind] as z.ZodType<ItemOf[typeof kind]>;
    await read(i, summaries, summary, async (batch) => (await ingestEntriesGivingWay(ctx, kind, source, schema, batch)).results);
    summaries.push(summary);
  }
  return summaries;
}

export const importCustomers = (db: Db, options: Omit<ImportOptions, "kind">) => importFile(db, { ...options, kind: "customers" });

export type DryRunReport = {
  /** Per file, as importFiles reports them. */
  summaries: ImportSummary[];
  /** The first merges and review items the import would make, as their causes and reasons read. */
  sampleMerges: string[];
  sampleReviewItems: string[];
};

const SAMPLE = 10;

/**
 * What an import would change, without changing anything: the database is copied with SQLite's
 * online backup (writers carry on meanwhile, and no lock is held for the import's length), the files
 * are imported into the copy, and the copy is deleted. The rejects files are written as in a real run.
 */
export async function dryRunImport(
  db: Db,
  inputs: ImportInput[],
  options: ImportRunOptions & { onCopy?: (share: number) => void; beforeImport?: (copy: Db) => void },
): Promise<DryRunReport> {
  const source = databaseFile(db);
  if (!source) throw new DomainError("invalid_input", "A dry run copies the database file; this database has none.");
  const copy = `${source}.dry-run-${process.pid}`;
  const files = [copy, `${copy}-wal`, `${copy}-shm`, `${copy}-journal`];
  try {
    await copyDatabase(db, copy, options.onCopy);
    const scratch = openDatabase(copy);
    try {
      const lastId = (table: typeof mergeEvents | typeof reviewQueue) =>
        scratch.select({ id: table.id }).from(table).orderBy(desc(table.id)).limit(1).get()?.id ?? 0;
      const firstSince = (table: typeof mergeEvents | typeof reviewQueue, text: typeof mergeEvents.cause | typeof reviewQueue.reason, after: number) =>
        scratch
          .select({ text })
          .from(table)
          .where(gt(table.id, after))
          .limit(SAMPLE)
          .all()
          .map((r) => r.text);
      const merged = lastId(mergeEvents);
      const reviewed = lastId(reviewQueue);
      options.beforeImport?.(scratch);
      const summaries = await importFiles(scratch, inputs, options);
      return {
        summaries,
        sampleMerges: firstSince(mergeEvents, mergeEvents.cause, merged),
        sampleReviewItems: firstSince(reviewQueue, reviewQueue.reason, reviewed),
      };
    } finally {
      closeDatabase(scratch);
    }
  } finally {
    for (const f of files) fs.rmSync(f, { force: true });
  }
}
