// SQL that only SQLite speaks, named, so domain queries read the same on any database and a port
// to another one (PostgreSQL) rewrites these few functions rather than every query that uses them.
import { type Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** The table, read through the named index: SQLite's INDEXED BY, for plans its statistics would get wrong. */
export function tableUsingIndex(table: SQLiteTable, index: string): SQL {
  return sql`${table} indexed by ${sql.identifier(index)}`;
}

/** A boolean inside a JSON text column, e.g. jsonFlag(profiles.consents, "$.email.granted"); false when absent. */
export function jsonFlag(column: SQLiteColumn, path: string): SQL<boolean> {
  return sql<boolean>`coalesce(json_extract(${column}, ${path}), 0)`;
}

/** column IN the values of a JSON array bound as one parameter, so a list of any length is still one prepared statement. */
export function inJsonArray(column: SQLiteColumn, list: Placeholder | string): SQL<boolean> {
  return sql<boolean>`${column} in (select value from json_each(${list}))`;
}
