// SQL that only SQLite speaks, named, so domain queries read the same on any database and a port
// to another one (PostgreSQL) rewrites these few functions rather than every query that uses them.
import { type Placeholder, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** Whether an error is SQLite's "another connection holds the lock" (after busy_timeout, if any). */
export const isBusy = (err: unknown) => (err as { code?: string } | null)?.code === "SQLITE_BUSY";

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

/** The larger of two values: SQLite's two-argument max (PostgreSQL: GREATEST). NULL when either is, so callers coalesce first. */
export function greaterOf(a: SQLWrapper | number, b: SQLWrapper | number): SQL<number> {
  return sql<number>`max(${a}, ${b})`;
}

/** The smaller of two values: SQLite's two-argument min (PostgreSQL: LEAST). NULL when either is, so callers coalesce first. */
export function lesserOf(a: SQLWrapper | number, b: SQLWrapper | number): SQL<number> {
  return sql<number>`min(${a}, ${b})`;
}

/** How many rows of the group meet the condition: SQLite sums its 0/1 comparisons (PostgreSQL: count(*) filter (where …)). */
export function countWhere(condition: SQLWrapper): SQL<number> {
  return sql<number>`coalesce(sum(${condition}), 0)`;
}

/** The column's value with no index behind it (SQLite's unary plus), to keep the planner off a low-selectivity index. */
export function unindexed(column: SQLiteColumn): SQL {
  return sql`+${column}`;
}

/**
 * An inner join the planner may not reorder, its left side the outer loop: SQLite's CROSS JOIN, for
 * a read whose best order is known better than statistics say (PostgreSQL: a plain JOIN, with
 * join_collapse_limit = 1 where the order matters).
 */
export const JOIN_IN_WRITTEN_ORDER = "cross join";
