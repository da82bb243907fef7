import { sql } from "drizzle-orm";
import { DomainError } from "@/lib/errors";
import type { IngestContext } from "@/lib/identity/ingest";
import type { SourceInfo } from "@/lib/identity/settings";

/** A named parameter bound as given, without the column's encoder: JSON columns take JSON text. */
export const raw = (name: string) => sql`${sql.placeholder(name)}`;

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
