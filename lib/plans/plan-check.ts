import type Database from "better-sqlite3";

/**
 * Query plans judged the way a chain-sized store would feel them: every statement a piece of code
 * runs is recorded with its parameters, then put through EXPLAIN QUERY PLAN and refused when it
 * reads a large table whole, or walks an index by a column that many rows share (a store, a
 * status) with nothing more selective beside it.
 */

export type RanStatement = { sql: string; params: unknown[] };

/** Tables that stay small at any chain size: a scan of them is fine. */
const SMALL_TABLES = new Set([
  "stores",
  "staff",
  "sources",
  "settings",
  "suggestion_rules",
  // At most 60 rows a store and 60 for the chain.
  "season_sellers",
  "api_keys",
  "saved_customer_lists",
  "erasures",
  "erasure_suppressions",
  "__drizzle_migrations",
  "sqlite_schema",
  "sqlite_stat1",
]);

/** Columns whose one value is shared by a large part of a table: an index walked by them alone reads that part. */
const LOW_SELECTIVITY_COLUMNS = new Set(["store_id", "source_id", "status", "type", "kind", "tier", "facet", "role", "channel", "active", "action"]);

/**
 * Records every statement run on this connection while `during` runs. Statements are wrapped when
 * prepared, so call this on a connection before anything prepares on it (statements cached per
 * connection are prepared on first use and would otherwise escape).
 */
export function recordStatements(sqlite: Database.Database): { during: (fn: () => unknown) => RanStatement[] } {
  let sink: RanStatement[] | null = null;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    for (const method of ["run", "get", "all", "iterate"] as const) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        sink?.push({ sql: source, params });
        return original.apply(statement, params);
      };
    }
    return statement;
  }) as typeof sqlite.prepare;
  return {
    during(fn) {
      const ran: RanStatement[] = [];
      sink = ran;
      try {
        fn();
      } finally {
        sink = null;
      }
      return ran;
    },
  };
}

/** Table behind each name a statement uses in FROM or JOIN (its alias, or the table itself). */
function tablesByAlias(sql: string): Map<string, string> {
  const keywords = /^(where|on|left|right|inner|outer|cross|join|natural|group|order|limit|union|using|indexed|not|as|set|values|select)$/i;
  const found = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:from|join|update|into)\s+"?([A-Za-z_][\w]*)"?(?:\s+(?:as\s+)?"?([A-Za-z_][\w]*)"?)?/gi)) {
    const [, table, alias] = m;
    found.set(table, table);
    if (alias && !keywords.test(alias)) found.set(alias, table);
  }
  return found;
}

/**
 * What an entry is meant to do: walk a store's rows in index order a page at a time, or read a
 * table whole that stays modest (the catalogue's distinct categories).
 */
export type PlanAllowance = { walks?: readonly string[]; scans?: readonly string[] };

/** What is wrong with one statement's plan; an empty list when nothing is. */
export function planProblems(sqlite: Database.Database, statement: RanStatement, allow: PlanAllowance = {}): string[] {
  const source = statement.sql.trim();
  if (!/^(select|with|update|delete|insert)/i.test(source)) return [];
  // An empty IN list becomes a constant false, which SQLite tests once before the loop.
  if (/\bwhere false\b/i.test(source)) return [];
  const steps = sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...statement.params) as { detail: string }[];
  const tables = tablesByAlias(source);
  const problems: string[] = [];
  for (const { detail } of steps) {
    // A virtual table's "scan" is its own search (FTS5 match, json_each over one value).
    if (detail.includes("VIRTUAL TABLE")) continue;
    const scan = /^SCAN (\S+)/.exec(detail);
    if (scan) {
      const table = tables.get(scan[1]);
      if (table && !SMALL_TABLES.has(table) && !allow.scans?.includes(table)) problems.push(`full scan of ${table}: ${detail}`);
      continue;
    }
    const search = /^SEARCH (\S+) USING .*?\((.+)\)$/.exec(detail);
    if (search) {
      const table = tables.get(search[1]);
      if (!table || SMALL_TABLES.has(table) || allow.walks?.includes(table)) continue;
      const columns = search[2].split(" AND ").map((c) => /^(\w+)/.exec(c)?.[1] ?? c);
      if (columns.every((c) => LOW_SELECTIVITY_COLUMNS.has(c))) problems.push(`walks ${table} by ${columns.join(", ")} alone: ${detail}`);
    }
  }
  return problems;
}
