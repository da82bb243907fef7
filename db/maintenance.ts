import type { Db } from "./client";
import { refreshStatistics } from "./statistics";

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
 * Settings for one bulk load into a new file: it is useless if the load dies half-way, so waiting
 * for the disk at every commit buys nothing; and a 512 MiB page cache keeps the randomly inserted
 * indexes (identifier values, store and date) in memory instead of re-reading their pages.
 */
export function tuneForBulkLoad(db: Db): void {
  db.$client.pragma("synchronous = OFF");
  db.$client.pragma("cache_size = -524288");
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
