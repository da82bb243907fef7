import type { z } from "zod";
import { inTransaction } from "@/db/client";
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
export const MAX_TRANSACTION_MS = 200;

/**
 * Validates and writes a batch of one kind, each item in its own savepoint: a bad item is reported
 * with its fields and leaves nothing behind, and the others are written. Transactions are cut at
 * MAX_TRANSACTION_MS; each is whole, so a crash loses only the uncommitted tail, which a re-run
 * writes again. The file importer and the HTTP API both come through here.
 */
export function ingestEntries<K extends IngestKind>(ctx: IngestContext, kind: K, source: string, schema: z.ZodType<ItemOf[K]>, entries: Entry[]): EntryResult[] {
  const applyOne = ctx.db.$client.transaction((item: ItemOf[K], payload: unknown) => applyItem(ctx, kind, source, item, payload));
  const one = (entry: Entry): EntryResult => {
    const parsed = schema.safeParse(entry.raw);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
    try {
      return { ok: true, outcome: applyOne(parsed.data, entry.payload ?? entry.raw) };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { ok: false, errors: [{ field: fieldOf(err), message: err.message }] };
    }
  };
  const results: EntryResult[] = [];
  while (results.length < entries.length) {
    inTransaction(ctx.db, () =>
      withDeferredRefresh(ctx, () => {
        const started = performance.now();
        do results.push(one(entries[results.length]));
        while (results.length < entries.length && performance.now() - started < MAX_TRANSACTION_MS);
      }),
    );
  }
  return results;
}
