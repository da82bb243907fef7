import fs from "node:fs";
import { csvRow } from "@/lib/csv";
import { desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { type Db, databaseFile, openDatabase } from "@/db/client";
import { closeDatabase, copyDatabase } from "@/db/maintenance";
import { mergeEvents, reviewQueue, sources } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { chunksOf, csvRecordsOf, linesOf } from "@/lib/read-files";
import type { ItemOf } from "@/lib/ingest/apply";
import { type EntryResult, ingestEntriesGivingWay } from "@/lib/ingest/batch";
import { ITEM_SCHEMAS, type IngestKind, fieldErrors, mappableFields } from "@/lib/ingest/schemas";
import { OrderBulkLoad } from "@/lib/ingest/orders-bulk";
import { batchesFromWorker } from "@/lib/worker-batches";
import { BulkLoad, BulkNotApplicable, loadInBulk, chooseImportPath } from "./bulk";
import { settleJoins, splitLooseGroups } from "./duplicates";
import { type FileBatch, type Pending, type PreparedCustomer, type Reject, csvOptions, fileBatches, mapFields } from "./file-batches";
import { type CustomerRecordInput, createIngestContext } from "./ingest";

/** Our field → the file's column (or columns, joined by a space, e.g. street number and street). */
export const mappingSchema = z.object({
  fields: z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])),
  trim: z.boolean().optional(),
});
export type ImportMapping = z.infer<typeof mappingSchema>;

function checkMappingFields(mapping: ImportMapping, kind: IngestKind): string[] {
  const known = new Set(mappableFields(kind));
  return Object.keys(mapping.fields).filter((f) => !known.has(f));
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

export type MappedRow = { ok: true; record: CustomerRecordInput } | ({ ok: false } & Omit<Reject, "line">);

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

/**
 * A quote that never closes swallows every line after it into one value, so those rows could be
 * neither imported nor rejected one by one. The file is read once before anything is written, and
 * such a file is refused whole, naming the line where the broken value starts; so is one whose
 * header names nothing the import reads.
 */
async function assertCsvReadable(file: string, kind: IngestKind, mapping: ImportMapping | undefined): Promise<number> {
  const trim = mapping?.trim ?? false;
  let lastGoodLine = 1;
  let unclosed = false;
  let rows = 0;
  let header: string[] | null = null;
  const skip = (err: Error & { code?: string }) => {
    if (err.code === "CSV_QUOTE_NOT_CLOSED") unclosed = true;
  };
  const options = { ...csvOptions(trim), columns: (names: string[]) => (header = csvOptions(trim).columns(names)) };
  for await (const { info } of csvRecordsOf<{ info: { lines: number } }>(fs.createReadStream(file), file, options, skip)) {
    lastGoodLine = info.lines;
    rows++;
  }
  if (header) assertHeaderNamesFields(header, kind, mapping);
  if (unclosed) {
    throw new DomainError(
      "invalid_input",
      `Line ${lastGoodLine + 1}: a quoted value starts here and is never closed, so the lines after it cannot be read. Nothing was imported; close the quote and import the file again.`,
    );
  }
  return rows;
}

/**
 * A header that names none of the fields (or, with a mapping, none of the columns it maps) would
 * have every row rejected for the same reason, one by one; most often the file is separated by
 * something other than commas. Refused whole, saying what was read.
 */
function assertHeaderNamesFields(header: string[], kind: IngestKind, mapping: ImportMapping | undefined): void {
  const expected = mapping ? Object.values(mapping.fields).flatMap((c) => (Array.isArray(c) ? c : [c])) : [...mappableFields(kind), "consents"];
  // A column read twice would be read from one of them, silently.
  const read = new Set(mapping ? expected : mappableFields(kind));
  const twice = header.find((h, i) => read.has(h) && header.indexOf(h) !== i);
  if (twice !== undefined) {
    const at = header.flatMap((h, i) => (h === twice ? [i + 1] : []));
    throw new DomainError(
      "invalid_input",
      `The header names "${twice}" ${at.length} times (columns ${at.join(" and ")}): which one to read is not clear. Nothing was imported.`,
    );
  }
  const named = new Set(header.map((h) => (mapping ? h : h.split(".")[0])));
  if (expected.some((c) => named.has(c))) return;
  const separator = [";", "\t", "|"].find((s) => header.length === 1 && header[0].includes(s));
  const shown = header.join(",").slice(0, 120);
  throw new DomainError(
    "invalid_input",
    `The header (${JSON.stringify(shown)}) names none of ${mapping ? "the columns the mapping reads" : `the ${kind} fields (${mappableFields(kind).slice(0, 4).join(", ")}, …)`}${
      separator ? `: the file seems separated by ${separator === "\t" ? "tabs" : `"${separator}"`}, not commas` : ""
    }. Nothing was imported.`,
  );
}

/**
 * A file saved in another encoding (an Excel export in Windows-1252) would have every "é" stored
 * as "\uFFFD", and names so stored no longer match. Checked over the whole file before anything is
 * written; the first line holding such bytes is named.
 */
async function assertUtf8(file: string): Promise<void> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let first = true;
  for await (const chunk of chunksOf(fs.createReadStream(file), file)) {
    // A UTF-16 file says so in its first bytes (its byte-order mark), and is read as such.
    if (first && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) return;
    first = false;
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      throw new DomainError(
        "invalid_input",
        `Line ${line + newlinesBefore(chunk, firstBadByte(chunk))} holds bytes that are not UTF-8 text: the file seems saved in another encoding (Windows-1252 or Latin-1?). Save it as "CSV UTF-8" and import it again. Nothing was imported.`,
      );
    }
    line += newlinesBefore(chunk, chunk.length);
  }
  try {
    decoder.decode();
  } catch {
    throw new DomainError("invalid_input", `The file ends inside a character: its last line is not whole UTF-8 text. Nothing was imported.`);
  }
}

const newlinesBefore = (bytes: Buffer, end: number) => {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) n++;
  return n;
};

/**
 * Where in a chunk the first byte that is not UTF-8 lies: the end of the longest prefix that decodes
 * (a character cut at the prefix's end may still complete). The chunk is read from its first
 * character's start: up to three bytes may finish one the chunk before began.
 */
function firstBadByte(chunk: Buffer): number {
  let start = 0;
  while (start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start++;
  let [good, bad] = [start, chunk.length];
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(chunk.subarray(start, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}

/** Lines holding something: a JSON-lines file's rows, counted without parsing them. */
async function countJsonLines(file: string): Promise<number> {
  let rows = 0;
  for await (const line of linesOf(fs.createReadStream(file), file)) if (line.trim()) rows++;
  return rows;
}

/** Where the items of file `file` of the run go: a bulk load (in memory) or the incremental path (written in short transactions). */
type Sink<P> = (file: number, items: P[]) => EntryResult[] | Promise<EntryResult[]>;

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
 * Takes the batches of `inputs` (read here, or on the reading worker) into `sink`: what became of
 * each file's rows goes into its summary, its rejects into its rejects file, in the order met.
 */
async function take<P extends { line: number }>(
  inputs: ImportInput[],
  summaries: ImportSummary[],
  batches: Iterable<FileBatch<P>> | AsyncIterable<FileBatch<P>>,
  sink: Sink<P>,
  onProgress: (file: number, bytesRead: number) => void,
): Promise<void> {
  const rejectsFiles = inputs.map((i) => i.rejectsFile ?? `${i.file}.rejects.csv`);
  for (const f of rejectsFiles) fs.rmSync(f, { force: true });
  const fds = new Map<number, number>();
  const reject = (file: number, r: Reject) => {
    let fd = fds.get(file);
    if (fd === undefined) {
      fd = fs.openSync(rejectsFiles[file], "w");
      fds.set(file, fd);
      fs.writeSync(fd, "line,field,reason\n");
      summaries[file].rejectsFile = rejectsFiles[file];
    }
    fs.writeSync(fd, csvRow([r.line, r.field, r.reason], "\n"));
    summaries[file].rejected++;
  };
  try {
    for await (const { file, read, rejects, items, bytesRead } of batches) {
      const summary = summaries[file];
      summary.read += read;
      for (const r of rejects) reject(file, r);
      const results = items.length ? await sink(file, items) : [];
      results.forEach((r, i) => {
        if (!r.ok) {
          const [first] = r.errors;
          reject(file, { line: items[i].line, field: first.field, reason: first.message });
          return;
        }
        for (const l of r.outcome.rejectedLines ?? [])
          reject(file, { line: items[i].line, field: l.field, reason: `${l.message} (line left out, order kept)` });
        summary[r.outcome.status]++;
        if (r.outcome.createdProfile) summary.profilesCreated++;
        summary.merges += r.outcome.merges ?? 0;
        summary.reviewItems += r.outcome.reviewItems ?? 0;
      });
      onProgress(file, bytesRead);
    }
  } finally {
    for (const fd of fds.values()) fs.closeSync(fd);
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
 * Their rows are read, checked and hashed on a worker thread meanwhile (import-worker.ts), in the
 * same batches as on the main thread: the main thread only resolves and writes.
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
  for (const i of inputs) {
    await assertUtf8(i.file);
    csvRowCounts.push(/\.jsonl?$/i.test(i.file) ? null : await assertCsvReadable(i.file, kind, i.mapping));
  }
  const ctx = createIngestContext(db);
  for (const { source } of inputs) if (!ctx.sources.has(source)) throw new DomainError("unknown_source", `Unknown source "${source}".`);

  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const summaries = inputs.map(() => emptySummary(kind, { taken: "incremental", why: "" }));
  const progress = (file: number, bytesRead: number) => {
    const sum = (k: "read" | "rejected") => summaries.slice(0, file + 1).reduce((n, s) => n + s[k], 0);
    const before = sizes.slice(0, file).reduce((a, b) => a + b, 0);
    options.onProgress?.({ read: sum("read"), rejected: sum("rejected"), bytesRead: before + bytesRead, totalBytes });
  };
  const toRead = inputs.map(({ file, mapping }) => ({ file, mapping }));

  let path: ImportSummary["path"] = {
    taken: "incremental",
    why: options.path === "incremental" && (kind === "customers" || kind === "orders") ? "asked for" : `${kind} are written one by one`,
  };
  if (kind === "customers" && options.path !== "incremental") {
    const countRows = async () => {
      let rows = 0;
      for (const [i, input] of inputs.entries()) rows += csvRowCounts[i] ?? (await countJsonLines(input.file));
      return rows;
    };
    const decision = await chooseImportPath(db, options.path === "bulk" ? null : countRows, inputs.length);
    path = { taken: decision.bulk ? "bulk" : "incremental", why: decision.why };
    if (decision.bulk) {
      for (const s of summaries) s.path = path;
      try {
        const bulk = new BulkLoad(ctx);
        // Read, checked and hashed on the machine's other core: at a million records (four files),
        // 97 and 110 s against 116 and 129 s with the main thread reading too, load 2-4.
        const batches = batchesFromWorker<FileBatch<PreparedCustomer>>(
          new URL("./import-worker.ts", import.meta.url),
          { files: toRead, batchSize },
          "reading the files",
        );
        await take(inputs, summaries, batches, (file, items) => bulk.addPrepared(inputs[file].source, items), progress);
        const loose = bulk.looseGroups();
        loadInBulk(db, bulk);
        splitLooseGroups(db, ctx.model, ctx.settings, loose);
        return summaries;
      } catch (err) {
        if (!(err instanceof BulkNotApplicable)) throw err;
        // Nothing is written before the end of a bulk load: the files are loaded again the incremental way.
        const again = await importFiles(db, inputs, { ...options, path: "incremental" });
        return again.map((s) => ({ ...s, path: { taken: "incremental", why: `the bulk load stopped: ${err.message}` } }));
      }
    }
  }
  const schema = ITEM_SCHEMAS[kind] as z.ZodType<ItemOf[typeof kind]>;
  const incremental: Sink<Pending> = async (file, items) => (await ingestEntriesGivingWay(ctx, kind, inputs[file].source, schema, items)).results;
  if (kind !== "orders" || options.path === "incremental") {
    for (const s of summaries) s.path = path;
    await take(inputs, summaries, fileBatches(kind, toRead, batchSize), incremental, progress);
    settleJoins(ctx);
    return summaries;
  }
  // Orders: each file its own bulk load, when it applies.
  for (const [i, input] of inputs.entries()) {
    const one = (s: ImportSummary, sink: Sink<Pending>) =>
      take(
        [input],
        [s],
        fileBatches(kind, [toRead[i]], batchSize),
        (_, items) => sink(i, items),
        (_, bytes) => progress(i, bytes),
      );
    const why = OrderBulkLoad.notApplicable(db);
    summaries[i].path = { taken: "incremental", why: why ?? "" };
    if (!why) {
      const summary = emptySummary(kind, { taken: "bulk", why: "new orders, no suggestion waiting for a purchase" });
      summaries[i] = summary;
      try {
        const orders = new OrderBulkLoad(ctx, input.source);
        await one(summary, (_, items) => orders.addEntries(ITEM_SCHEMAS.orders as z.ZodType<ItemOf["orders"]>, items).results);
        orders.finish();
        continue;
      } catch (err) {
        if (!(err instanceof BulkNotApplicable)) throw err;
        // Nothing was written: the file is loaded again the incremental way.
        summaries[i] = emptySummary(kind, { taken: "incremental", why: `the bulk load stopped: ${err.message}` });
      }
    }
    await one(summaries[i], incremental);
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
