import type { z } from "zod";
import { atomic, inTransaction } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { type IngestContext, withDeferredRefresh } from "@/lib/identity/ingest";
import { type ItemOf, type ItemOutcome, applyItem, fieldOf } from "./apply";
import { type FieldError, type IngestKind, fieldErrors } from "./schemas";

export type Entry = {
  /** The item as mapped from a file row or as sent to the API, before validation. */
  raw: unknown;
  /** What the source sent, kept as the customer record's payload; defaults to the raw item. */
  payload?: unknown;
};

export type EntryResult = { ok: true; outcome: ItemOutcome } | { ok: false; errors: FieldError[] };

/**
 * A writer holds SQLite's one write lock for as long as its transaction lasts, and a tablet's
 * lookup (which writes its audit row) waits that long. So a batch commits whenever it has held the
 * lock this long and carries on in a new transaction.
 */
export const MAX_TRANSACTION_MS = 100;

/**
 * What a long import leaves between its transactions. SQLite's busy handler polls (every 100 ms
 * once it has waited a while), so a writer that re-takes the lock at once would starve a waiting
 * lookup for the whole import, until its busy timeout ends in SQLITE_BUSY.
 */
export const PAUSE_BETWEEN_TRANSACTIONS_MS = 20;

export type IngestBatchResult = { results: EntryResult[] };

/**
 * Validates and writes a batch of one kind, each item in its own savepoint: a bad item is reported
 * with its fields and leaves nothing behind, and the others are written. Transactions are cut at
 * MAX_TRANSACTION_MS; each is whole, so a crash loses only the uncommitted tail, which a re-run
 * writes again. Each customer record is resolved as it is written (merged, queued for review or
 * left alone), so a crash cannot lose a suggestion either. The file importer and the HTTP
 * API both come through here.
 */
export function ingestEntries<K extends IngestKind>(
  ctx: IngestContext,
  kind: K,
  source: string,
  schema: z.ZodType<ItemOf[K]>,
  entries: Entry[],
): IngestBatchResult {
  const batch = new TransactionCutter(ctx, kind, source, schema, entries);
  while (!batch.done) batch.nextTransaction();
  return batch.result;
}

/** ingestEntries for long imports: the same transactions, with a pause after each for other writers. */
export async function ingestEntriesGivingWay<K extends IngestKind>(
  ctx: IngestContext,
  kind: K,
  source: string,
  schema: z.ZodType<ItemOf[K]>,
  entries: Entry[],
): Promise<IngestBatchResult> {
  const batch = new TransactionCutter(ctx, kind, source, schema, entries);
  while (!batch.done) {
    batch.nextTransaction();
    await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_TRANSACTIONS_MS));
  }
  return batch.result;
}

/** One entry validated and applied: invalid fields, or a reference the store does not know, make it a reported error. */
export function entryResult<T>(schema: z.ZodType<T>, entry: Entry, apply: (item: T, payload: unknown) => ItemOutcome): EntryResult {
  const parsed = schema.safeParse(entry.raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return appliedResult(() => apply(parsed.data, entry.payload ?? entry.raw));
}

/** One valid item applied: a reference the store does not know (a DomainError) makes it a reported error. */
export function appliedResult(apply: () => ItemOutcome): EntryResult {
  try {
    return { ok: true, outcome: apply() };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { ok: false, errors: [{ field: fieldOf(err), message: err.message }] };
  }
}

class TransactionCutter<K extends IngestKind> {
  readonly result: IngestBatchResult = { results: [] };
  private readonly applyOne: (item: ItemOf[K], payload: unknown) => ItemOutcome;

  constructor(
    private readonly ctx: IngestContext,
    kind: K,
    source: string,
    private readonly schema: z.ZodType<ItemOf[K]>,
    private readonly entries: Entry[],
  ) {
    this.applyOne = atomic(ctx.db, (item: ItemOf[K], payload: unknown) => applyItem(ctx, kind, source, item, payload));
  }

  get done(): boolean {
    return this.result.results.length >= this.entries.length;
  }

  private one(entry: Entry): EntryResult {
    return entryResult(this.schema, entry, this.applyOne);
  }

  nextTransaction(): void {
    const { results } = this.result;
    inTransaction(this.ctx.db, () =>
      withDeferredRefresh(this.ctx, () => {
        const started = performance.now();
        do results.push(this.one(this.entries[results.length]));
        while (results.length < this.entries.length && performance.now() - started < MAX_TRANSACTION_MS);
      }),
    );
  }
}
