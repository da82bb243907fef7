// The name index (profile_search, FTS5 with the trigram tokenizer; see db/schema.ts) is SQLite's
// own. Every query against it is here, so another database swaps this file (PostgreSQL: pg_trgm).
import { sql } from "drizzle-orm";
import type { Db } from "./client";

/** An FTS5 string: the text matched as typed, never as query syntax. */
function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Live profiles whose name contains every one of the terms (3 letters or more), with their "first last" name. */
export function profilesNameContainingAll(db: Db, terms: string[], limit: number): { id: number; name: string }[] {
  return db.all<{ id: number; name: string }>(
    sql`select p.id, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name from profile_search s join profiles p on p.id = s.rowid
        where profile_search match ${terms.map(ftsString).join(" AND ")} limit ${limit}`,
  );
}

/** Live profiles whose name or city shares any of the trigrams, those sharing most first. */
export function profilesSharingTrigrams(db: Db, trigrams: string[], limit: number): number[] {
  return db
    .all<{ id: number }>(sql`select rowid as id from profile_search where profile_search match ${trigrams.map(ftsString).join(" OR ")} order by rank limit ${limit}`)
    .map((r) => r.id);
}
