// The name index (profile_search, FTS5 with the trigram tokenizer; see db/schema.ts) is SQLite's
// own. Every query against it is here, so another database swaps this file (PostgreSQL: pg_trgm).
import { sql } from "drizzle-orm";
import type { Db } from "./client";

/** An FTS5 string: the text matched as typed, never as query syntax. */
function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** What a name search may be narrowed by, applied inside the query so a common name is not cut at the limit first. */
export type NameNarrowing = { city?: string | null; birthYear?: number | null; phoneEnd?: string | null };

/** Live profiles whose name contains every one of the terms (3 letters or more) and that pass the narrowing. */
export function profilesNameContainingAll(db: Db, terms: string[], limit: number, narrow: NameNarrowing = {}): number[] {
  const narrowed = [
    narrow.city ? sql` and lower(p.city) = lower(${narrow.city.trim()})` : sql``,
    narrow.birthYear ? sql` and substr(p.birth_date, 1, 4) = ${String(narrow.birthYear)}` : sql``,
    narrow.phoneEnd ? sql` and p.phone like ${`%${narrow.phoneEnd}`}` : sql``,
  ];
  return db
    .all<{ id: number }>(
      sql`select s.rowid as id from profile_search s join profiles p on p.id = s.rowid
          where profile_search match ${terms.map(ftsString).join(" AND ")}${sql.join(narrowed)} limit ${limit}`,
    )
    .map((r) => r.id);
}

/** Live profiles whose name or city shares any of the trigrams, those sharing most first. */
export function profilesSharingTrigrams(db: Db, trigrams: string[], limit: number): number[] {
  return db
    .all<{ id: number }>(
      sql`select rowid as id from profile_search where profile_search match ${trigrams.map(ftsString).join(" OR ")} order by rank limit ${limit}`,
    )
    .map((r) => r.id);
}
