import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { DomainError } from "@/lib/errors";
import type { IngestContext } from "@/lib/identity/ingest";
import type { SourceInfo } from "@/lib/identity/settings";

/** A named parameter bound as given, without the column's encoder: JSON columns take JSON text. */
export const raw = (name: string) => sql`${sql.placeholder(name)}`;

/** Columns set each to the named parameter of its own name, encoded as the column encodes; `table` checks the names. */
export function params<T extends { $inferInsert: object }, const K extends keyof T["$inferInsert"] & string>(
  table: T,
  ...names: K[]
): Record<K, Placeholder<K>> {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<K, Placeholder<K>>;
}

/** Columns set each to the named parameter of its own name, bound as given; `table` checks the names. */
export function rawParams<T extends { $inferInsert: object }, const K extends keyof T["$inferInsert"] & string>(table: T, ...names: K[]): Record<K, SQL> {
  return Object.fromEntries(names.map((name) => [name, raw(name)])) as Record<K, SQL>;
}

export function sourceOf(ctx: IngestContext, name: string): SourceInfo {
  const source = ctx.sources.get(name);
  if (!source) throw new DomainError("unknown_source", `Unknown source "${name}".`);
  return source;
}

export function storeIdOf(ctx: IngestContext, code: string | null | undefined): number | null {
  if (!code) return null;
  const id = ctx.storeIds.get(code);
  if (id === undefined) throw new DomainError("unknown_store", `Unknown store "${code}".`);
  return id;
}
