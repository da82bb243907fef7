import type Database from "better-sqlite3";
import { isBusy } from "./dialect";

/**
 * Planner statistics (sqlite_stat1) kept without anyone's help. Without them SQLite guesses, and on
 * a chain-sized store a wrong guess walks millions of rows; a full ANALYZE of such a store takes
 * over half a minute, so every refresh here reads a bounded sample of each index.
 */

/** Rows read per index: enough for the planner's row estimates, a fraction of a second per index at 1M profiles. */
export const ANALYSIS_LIMIT = 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * After a bulk write (generation, an import, a rebuild): statistics for every table, sampled. Tables
 * that grew from nothing would otherwise keep the estimates of their first rows until the next
 * periodic optimize noticed.
 */
export function refreshStatistics(sqlite: Database.Database): void {
  sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  sqlite.exec("ANALYZE");
  forgetFullTextStatistics(sqlite);
}

/**
 * What SQLite's documentation asks of a connection when it opens: analyse the tables that have no
 * statistics or have grown (or shrunk) a lot since they were last analysed (0x10000: check every
 * table, not only those this connection has queried; 0x2: do the analysis). Empty tables are left
 * unanalysed, so a new store does not pin estimates of zero rows.
 */
export function optimize(sqlite: Database.Database): void {
  // Never wait for another writer (an import): a busy store is analysed at the next opportunity.
  const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
    sqlite.pragma("optimize = 0x10002");
    forgetFullTextStatistics(sqlite);
  } catch (err) {
    if (!isBusy(err)) throw err;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * The name index's internal tables (FTS5's shadow tables) are kept without statistics. They are
 * analysed when the store is new and the index holds only its two bookkeeping rows, and from then
 * on the planner took the table for two rows: FTS5's own "delete these pages of a segment"
 * (`DELETE … WHERE id >= ? AND id <= ?`, run by the merge after most commits that add a name) was
 * planned as a scan of the whole index. At a million profiles that was 11 ms for every new profile,
 * against 0.1 ms planned on the rowid, as SQLite plans it without statistics. Statistics are read
 * when a connection loads the schema, and FTS5 keeps its statements prepared, so the rows go with a
 * schema change (a table made and dropped): every connection, the app's included, plans them again.
 */
function forgetFullTextStatistics(sqlite: Database.Database): void {
  if (!sqlite.prepare("select 1 from sqlite_schema where name = 'sqlite_stat1'").get()) return;
  const indexes = sqlite
    .prepare("select name from sqlite_schema where type = 'table' and sql like 'create virtual table%using fts5%'")
    .pluck()
    .all() as string[];
  const shadows = indexes.flatMap((name) => SHADOW_TABLES.map((suffix) => `${name}_${suffix}`));
  if (shadows.length === 0) return;
  sqlite.transaction(() => {
    const { changes } = sqlite.prepare(`delete from sqlite_stat1 where tbl in (${shadows.map(() => "?").join(", ")})`).run(...shadows);
    if (changes > 0) sqlite.exec("create table statistics_reload (x); drop table statistics_reload");
  })();
}

const SHADOW_TABLES = ["data", "idx", "content", "docsize", "config"];

/**
 * For a long-lived connection (the app's): the same check once an hour, as SQLite recommends, so
 * records arriving through the API keep the statistics current (a table filled after the connection
 * opened has none, which plain `optimize` would not notice). The timer does not hold the process open.
 */
export function optimizePeriodically(sqlite: Database.Database, everyMs: number = HOUR_MS): () => void {
  const timer = setInterval(() => {
    if (sqlite.open) optimize(sqlite);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
