import fs from "node:fs";
import { csvRecordsOf, linesOf } from "@/lib/read-files";
import { ITEM_SCHEMAS, type CustomerItem, type FieldError, type IngestKind, fieldErrors } from "@/lib/ingest/schemas";
import { MAX_JSON_DEPTH, nestedTooDeep } from "@/lib/validate";
import type { ImportMapping } from "./import";
import { type StoredPayload, storedPayload } from "./payload";

/**
 * Reading an import's files: rows parsed, mapped to our field names and batched, the rows that
 * cannot be read rejected on the way. Runs on the main thread, or on the reading worker
 * (import-worker.ts) for a bulk load of customers, which then also checks each row against the
 * schema and hashes its payload (prepareCustomers): the main thread only resolves and writes.
 */

export type Reject = { line: number; field: string; reason: string };

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

type Row = { line: number; row: Record<string, unknown> } | { line: number; error: Reject };

export const csvOptions = (trim: boolean) =>
  ({
    columns: (header: string[]) => header.map((h) => (trim ? h.trim() : h)),
    info: true,
    bom: true,
    trim,
    skip_empty_lines: true,
    // Fewer values than columns (trailing blanks left off) or more (a trailing comma) are read;
    // more values that are not blank are a value with an unquoted comma, rejected in csvRows.
    relax_column_count: true,
    skip_records_with_error: true,
  }) as const;

type CsvInfo = { lines: number; columns: unknown[]; error?: { code: string; record: string[] } | null };

async function* csvRows(input: fs.ReadStream, path: string, trim: boolean, skipped: Reject[]): AsyncGenerator<Row> {
  const skip = (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? 0, field: "row", reason: err.message });
  for await (const { record, info } of csvRecordsOf<{ record: Record<string, string>; info: CsvInfo }>(input, path, csvOptions(trim), skip)) {
    const extra = info.error?.code === "CSV_RECORD_INCONSISTENT_COLUMNS" ? info.error.record.slice(info.columns.length) : [];
    // Every column after such a value is shifted: the row would be read askew, so it is rejected.
    if (extra.some((v) => v.trim() !== "")) {
      const reason = "more values than the header has columns (a comma in a value that is not in quotes?)";
      yield { line: info.lines, error: { line: info.lines, field: "row", reason } };
    } else yield { line: info.lines, row: record };
  }
}

async function* jsonlRows(input: fs.ReadStream, path: string): AsyncGenerator<Row> {
  let line = 0;
  for await (const read of linesOf(input, path)) {
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

/** A row mapped to our field names, not yet checked against the kind's schema; `payload` is the row as the source sent it. */
export type Pending = { line: number; raw: Record<string, unknown>; payload: unknown };

/**
 * A batch of one file of the run: the rows it takes up (`read`), those rejected while reading them
 * (in the order met, before what becomes of the items), the items, and how far the file is read.
 */
export type FileBatch<P> = { file: number; read: number; rejects: Reject[]; items: P[]; bytesRead: number };

export type FileToRead = { file: string; mapping?: ImportMapping };

/**
 * The run's files in order, in batches of `batchSize` items; each file ends with a batch of its
 * own (perhaps of no items). Orders come one per JSON line with nested lines, or one CSV row per
 * order line, the rows of an order next to each other.
 */
export async function* fileBatches(kind: IngestKind, files: FileToRead[], batchSize: number): AsyncGenerator<FileBatch<Pending>> {
  for (const [file, { file: path, mapping }] of files.entries()) {
    const input = fs.createReadStream(path);
    const skipped: Reject[] = [];
    const rows = /\.jsonl?$/i.test(path) ? jsonlRows(input, path) : csvRows(input, path, mapping?.trim ?? false, skipped);
    let batch: FileBatch<Pending> = { file, read: 0, rejects: [], items: [], bytesRead: 0 };
    const cut = () => {
      const full = { ...batch, bytesRead: input.bytesRead };
      batch = { file, read: 0, rejects: [], items: [], bytesRead: 0 };
      return full;
    };
    // The rows of one order arrive together: an order is complete when the next row names another.
    let order: Pending | null = null;
    try {
      for await (const entry of rows) {
        batch.read++;
        for (const s of skipped.splice(0)) {
          batch.read++;
          batch.rejects.push(s);
        }
        if ("error" in entry) {
          batch.rejects.push(entry.error);
          continue;
        }
        const raw = mapFields(entry.row, mapping);
        const item = { line: entry.line, raw, payload: entry.row };
        if (kind !== "orders") batch.items.push(item);
        else if (order && raw.externalId !== undefined && order.raw.externalId === raw.externalId && Array.isArray(raw.lines)) {
          (order.raw.lines as unknown[]).push(...raw.lines);
        } else {
          if (order) batch.items.push(order);
          order = item;
        }
        if (batch.items.length >= batchSize) yield cut();
      }
      if (order) batch.items.push(order);
      for (const s of skipped.splice(0)) {
        batch.read++;
        batch.rejects.push(s);
      }
      yield cut();
    } finally {
      input.destroy();
    }
  }
}

/** A customer row checked against the schema (its item or its field errors) and its payload as stored, hashed. */
export type PreparedCustomer = { line: number; item: CustomerItem; stored: StoredPayload } | { line: number; errors: FieldError[] };

/** What the reading worker does besides reading, for a bulk load of customers: the main thread only resolves and writes. */
export function prepareCustomers(batch: FileBatch<Pending>): FileBatch<PreparedCustomer> {
  const items = batch.items.map((p): PreparedCustomer => {
    const parsed = ITEM_SCHEMAS.customers.safeParse(p.raw);
    return parsed.success ? { line: p.line, item: parsed.data, stored: storedPayload(p.payload) } : { line: p.line, errors: fieldErrors(parsed.error) };
  });
  return { ...batch, items };
}
