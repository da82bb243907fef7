// SQL that only SQLite speaks, named, so domain queries read the same on any database and a port
// to another one (PostgreSQL) rewrites these few functions rather than every query that uses them.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** The table, read through the named index: SQLite's INDEXED BY, for plans its statistics would get wrong. */
export function tableUsingIndex(table: SQLiteTable, index: string): SQL {
  return sql`${table} indexed by ${sql.identifier(index)}`;
}

/** A boolean inside a JSON text column, e.g. jsonFlag(profiles.consents, "$.email.granted"); false when absent. */
export function jsonFlag(column: SQLiteColumn, path: string): SQL<boolean> {
  return sql<boolean>`coalesce(json_extract(${column}, ${path}), 0)`;
}
