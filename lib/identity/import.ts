import fs from "node:fs";
import readline from "node:readline";
import { parse } from "csv-parse";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Db, inTransaction } from "@/db/client";
import { sources } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { type CustomerRecordInput, createIngestContext, ingestCustomerRecord, withDeferredRefresh } from "./ingest";

export const MAPPABLE_FIELDS = [
  "sourceCustomerId",
  "firstName",
  "lastName",
  "email",
  "phone",
  "loyaltyId",
  "birthDate",
  "address",
  "postcode",
  "city",
  "country",
  "tier",
  "updatedAt",
] as const;
type MappableField = (typeof MAPPABLE_FIELDS)[number];

const fieldName = z.union([z.enum(MAPPABLE_FIELDS), z.string().regex(/^consents\.[a-z_]+$/, "consents.<channel>")]);

/** Our field → the file's column (or columns, joined by a space, e.g. street number and street). */
export const mappingSchema = z.object({
  fields: z.record(fieldName, z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])),
  trim: z.boolean().optional(),
});
export type ImportMapping = z.infer<typeof mappingSchema>;

/** Without a mapping file the columns carry our field names. */
export const IDENTITY_MAPPING: ImportMapping = { fields: Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, f])) };

export function readMapping(file: string): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new DomainError("invalid_input", `Mapping ${file}: ${(err as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new DomainError("invalid_input", `Mapping ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export type Reject = { line: number; field: string; reason: string };
export type MappedRow = { ok: true; record: CustomerRecordInput } | ({ ok: false } & Omit<Reject, "line">);

const TRUE = new Set(["true", "yes", "y", "1", "t", "opt-in", "granted"]);
const FALSE = new Set(["false", "no", "n", "0", "f", "opt-out", "denied"]);

function valueAt(row: Record<string, unknown>, column: string): unknown {
  if (column in row) return row[column];
  let node: unknown = row;
  for (const part of column.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** One file row to one source record, or the first reason it cannot be one. Pure: used by the importer and its tests. */
export function mapRow(row: Record<string, unknown>, mapping: ImportMapping, source: string): MappedRow {
  const get = (columns: string | string[]): string | null => {
    const parts = (Array.isArray(columns) ? columns : [columns])
      .map((c) => valueAt(row, c))
      .filter((v) => v !== null && v !== undefined)
      .map((v) => (mapping.trim ? String(v).trim() : String(v)))
      .filter((v) => v !== "");
    return parts.length ? parts.join(" ") : null;
  };
  const record: CustomerRecordInput = { source, sourceCustomerId: "", payload: row };
  const consents: Record<string, boolean> = {};
  for (const [field, columns] of Object.entries(mapping.fields)) {
    const value = get(columns);
    if (field.startsWith("consents.")) {
      if (value === null) continue;
      const v = value.trim().toLowerCase();
      if (TRUE.has(v)) consents[field.slice(9)] = true;
      else if (FALSE.has(v)) consents[field.slice(9)] = false;
      else return { ok: false, field, reason: `"${value}" is not a yes/no consent` };
    } else if (field === "updatedAt") {
      if (value === null) continue;
      const at = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      if (!Number.isFinite(at)) return { ok: false, field, reason: `"${value}" is not a date` };
      record.updatedAt = at;
    } else {
      record[field as Exclude<MappableField, "updatedAt">] = value as string;
    }
  }
  if (!record.sourceCustomerId?.trim()) return { ok: false, field: "sourceCustomerId", reason: "missing source customer ID" };
  if (record.sourceCustomerId.length > 200) return { ok: false, field: "sourceCustomerId", reason: "longer than 200 characters" };
  if (Object.keys(consents).length) record.consents = consents;
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
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  profilesCreated: number;
  merges: number;
  reviewItems: number;
  rejectsFile: string | null;
};

export type ImportOptions = {
  source: string;
  file: string;
  mapping?: ImportMapping;
  batchSize?: number;
  /** Defaults to `<file>.rejects.csv`. */
  rejectsFile?: string;
  onProgress?: (p: ImportProgress) => void;
};

type Row = { line: number; row: Record<string, unknown> } | { line: number; error: Reject };

async function* csvRows(input: fs.ReadStream, trim: boolean, skipped: Reject[]): AsyncGenerator<Row> {
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => (trim ? h.trim() : h)),
      info: true,
      bom: true,
      trim,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
    }),
  );
  parser.on("skip", (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? 0, field: "row", reason: err.message }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: info.lines, row: record };
  }
}

async function* jsonlRows(input: fs.ReadStream): AsyncGenerator<Row> {
  let line = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      const row = JSON.parse(text);
      if (!row || typeof row !== "object" || Array.isArray(row)) yield { line, error: { line, field: "row", reason: "not a JSON object" } };
      else yield { line, row };
    } catch {
      yield { line, error: { line, field: "row", reason: "not valid JSON" } };
    }
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Streams a CSV or JSON-lines file of customers into the store: rows mapped, batched into one
 * transaction each, every row in its own savepoint so a bad one is rejected without half-writing.
 */
export async function importCustomers(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const mapping = options.mapping ?? IDENTITY_MAPPING;
  const batchSize = options.batchSize ?? 1000;
  const rejectsFile = options.rejectsFile ?? `${options.file}.rejects.csv`;
  const totalBytes = fs.statSync(options.file).size;
  fs.rmSync(rejectsFile, { force: true });
  let rejectsFd: number | null = null;
  const summary: ImportSummary = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, profilesCreated: 0, merges: 0, reviewItems: 0, rejectsFile: null };
  const reject = (r: Reject) => {
    if (rejectsFd === null) {
      rejectsFd = fs.openSync(rejectsFile, "w");
      fs.writeSync(rejectsFd, "line,field,reason\n");
      summary.rejectsFile = rejectsFile;
    }
    fs.writeSync(rejectsFd, `${r.line},${csvField(r.field)},${csvField(r.reason)}\n`);
    summary.rejected++;
  };

  const ctx = createIngestContext(db);
  if (!ctx.sources.has(options.source)) throw new DomainError("unknown_source", `Unknown source "${options.source}".`);
  const ingestOne = db.$client.transaction((record: CustomerRecordInput) => ingestCustomerRecord(ctx, record));
  const flush = (batch: { line: number; record: CustomerRecordInput }[]) => {
    if (batch.length === 0) return;
    inTransaction(db, () =>
      withDeferredRefresh(ctx, () => {
        for (const { line, record } of batch) {
          try {
            const r = ingestOne(record);
            summary[r.status]++;
            if (r.createdProfile) summary.profilesCreated++;
            summary.merges += r.absorbedProfileIds.length;
            summary.reviewItems += r.reviewItems;
          } catch (err) {
            if (!(err instanceof DomainError)) throw err;
            reject({ line, field: "record", reason: err.message });
          }
        }
      }),
    );
  };

  const input = fs.createReadStream(options.file);
  const skipped: Reject[] = [];
  const rows = /\.jsonl?$/i.test(options.file) ? jsonlRows(input) : csvRows(input, mapping.trim ?? false, skipped);
  let batch: { line: number; record: CustomerRecordInput }[] = [];
  try {
    for await (const item of rows) {
      summary.read++;
      for (const s of skipped.splice(0)) (summary.read++, reject(s));
      if ("error" in item) {
        reject(item.error);
        continue;
      }
      const mapped = mapRow(item.row, mapping, options.source);
      if (!mapped.ok) reject({ line: item.line, field: mapped.field, reason: mapped.reason });
      else batch.push({ line: item.line, record: mapped.record });
      if (batch.length >= batchSize) {
        flush(batch);
        batch = [];
        options.onProgress?.({ read: summary.read, rejected: summary.rejected, bytesRead: input.bytesRead, totalBytes });
      }
    }
    for (const s of skipped.splice(0)) (summary.read++, reject(s));
    flush(batch);
    options.onProgress?.({ read: summary.read, rejected: summary.rejected, bytesRead: totalBytes, totalBytes });
  } finally {
    input.destroy();
    if (rejectsFd !== null) fs.closeSync(rejectsFd);
  }
  return summary;
}
