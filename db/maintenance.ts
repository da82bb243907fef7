import type { Db } from "./client";
import { ANALYSIS_LIMIT, refreshStatistics } from "./statistics";

/** Closes the connection: the last one to close folds the write-ahead log back into the file. */
export function closeDatabase(db: Db): void {
  db.$client.close();
}

/**
 * A copy of the database at `file`, taken with SQLite's online backup: writers carry on meanwhile
 * and no lock is held for the copy's length. onProgress gets the share copied so far.
 */
export async function copyDatabase(db: Db, file: string, onProgress?: (share: number) => void): Promise<void> {
  await db.$client.backup(file, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress?.(totalPages > 0 ? 1 - remainingPages / totalPages : 1);
      return 4096;
    },
  });
}

/** Brings the planner statistics up to date after a bulk write (see db/statistics.ts). */
export function analyse(db: Db): void {
  refreshStatistics(db.$client);
}

/** Folds the write-ahead log into the database file and truncates it, after a bulk load. */
export function checkpoint(db: Db): void {
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
}

/**
 * Settings for one bulk load into a brand-new file (the generator, the write-floor bench). The file
 * is worth nothing if the load dies half-way: it is generated again. So no journal at all, neither
 * WAL nor rollback: every page goes once to the file, where through the WAL a load of gigabytes
 * was written twice (to the log, then into the file at the checkpoint). The price: a crash or a
 * failed load leaves a corrupt file, as ROLLBACK no longer works; delete it and load again. Nor
 * does the load wait for the disk at each commit. A 512 MiB page cache keeps the randomly inserted
 * indexes (identifier values, store and date) in memory instead of re-reading their pages, and two
 * helper threads sort for the index builds. Any ANALYZE on the way (the list-statistics rebuild
 * analyses its two tables, 8 million rows at a million people) reads a sample, as the load's closing
 * refreshStatistics does: that one analyses every table again, and its figures are what the file
 * keeps. finishBulkLoad puts the store's usual settings back.
 */
export function tuneForBulkLoad(db: Db): void {
  // better-sqlite3 opens connections in SQLite's defensive mode, which refuses journal_mode = OFF.
  db.$client.unsafeMode(true);
  const mode = db.$client.pragma("journal_mode = OFF", { simple: true });
  db.$client.unsafeMode(false);
  if (mode !== "off") throw new Error(`SQLite kept journal_mode ${String(mode)} for the bulk load.`);
  db.$client.pragma("synchronous = OFF");
  db.$client.pragma("cache_size = -524288");
  db.$client.pragma("threads = 2");
  db.$client.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
}

/** After tuneForBulkLoad's load: the write-ahead log again (as openDatabase sets it), durable commits, no sort threads. */
export function finishBulkLoad(db: Db): void {
  db.$client.pragma("journal_mode = WAL");
  db.$client.pragma("synchronous = NORMAL");
  db.$client.pragma("threads = 0");
}

/** Runs fn with a page cache of `kib` KiB on this connection, then puts the previous size back. */
export function withPageCache<T>(db: Db, kib: number, fn: () => T): T {
  const previous = db.$client.pragma("cache_size", { simple: true });
  db.$client.pragma(`cache_size = -${kib}`);
  try {
    return fn();
  } finally {
    db.$client.pragma(`cache_size = ${Number(previous)}`);
  }
}
