import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";
import { isBusy } from "./dialect";
import { optimize } from "./statistics";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DATABASE_PATH = "data/clientele.db";
const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), "db/migrations");

/** Opens (creating if needed) and migrates a database file. Every CLI and test goes through here. */
export function openDatabase(file: string = DEFAULT_DATABASE_PATH, options: { readonly?: boolean } = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  if (options.readonly) recoverInterruptedLoad(file);
  const sqlite = new Database(file, { readonly: options.readonly ?? false });
  sqlite.pragma("busy_timeout = 5000");
  if (!options.readonly) {
    askForWal(sqlite);
    sqlite.pragma("synchronous = NORMAL");
    // An import's transaction dirties over a thousand pages, so at SQLite's default of 1,000 every
    // commit also ran a checkpoint with its two fsyncs. Every connection gets the same threshold:
    // one left at the default would run the import's large checkpoints itself, in a tablet's lookup.
    sqlite.pragma("wal_autocheckpoint = 10000");
    // Past a checkpoint the WAL file keeps its size; this trims it back after a big import.
    sqlite.pragma("journal_size_limit = 67108864");
  }
  sqlite.pragma("foreign_keys = ON");
  // Deleted and overwritten content is zeroed, not left in free space: an erased customer's bytes go.
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("temp_store = MEMORY");
  const db = drizzle(sqlite, { schema }) as Db;
  if (!options.readonly) {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    optimize(sqlite);
  }
  return db;
}

/** How long a connection opened while a bulk load holds the store for itself waits for it to finish. */
const BULK_LOAD_WAIT_MS = 15 * 60_000;

/**
 * The write-ahead log, so readers never wait for a writer. A bulk load that had the store to itself
 * writes through a rollback journal meanwhile (inBulkTransaction) and holds the file until it ends:
 * a connection opened then (the app started during a first load) waits for it, saying so.
 */
function askForWal(sqlite: Database.Database): void {
  const waitUntil = Date.now() + BULK_LOAD_WAIT_MS;
  for (let said = false; ;) {
    try {
      sqlite.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > waitUntil) throw err;
      if (!said) console.warn(`${sqlite.name}: a bulk load holds the store; waiting for it to finish.`);
      said = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/**
 * A bulk load stopped half-way (a crash, a kill) while it wrote through a rollback journal leaves
 * that journal for the next connection to roll the file back with, which a read-only connection
 * cannot: it is done here, by a connection that may write, first.
 */
function recoverInterruptedLoad(file: string): void {
  if (!fs.existsSync(`${file}-journal`)) return;
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    askForWal(sqlite);
  } finally {
    sqlite.close();
  }
}

/**
 * What a hot path prepares once per connection instead of on every call: the returned function
 * gives factory(db)'s result, made on first use for each database.
 */
export function perConnection<T>(factory: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = factory(db)));
    return value;
  };
}

/** Runs fn in one IMMEDIATE transaction, so concurrent writers queue on busy_timeout instead of failing mid-way. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

/** The file behind the connection, or null for an in-memory database. */
export function databaseFile(db: Db): string | null {
  const sqlite = db.$client;
  return !sqlite.name || sqlite.name === ":memory:" || sqlite.memory ? null : sqlite.name;
}

export function isOpen(db: Db): boolean {
  return db.$client.open;
}

/**
 * Runs fn in an immediate transaction. With `wait` false it never waits for another writer: it
 * answers false at once when the write lock is taken, and fn has not run.
 */
export function tryInTransaction(db: Db, fn: () => void, wait: boolean): boolean {
  const sqlite = db.$client;
  const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
  if (!wait) sqlite.pragma("busy_timeout = 0");
  try {
    sqlite.transaction(fn).immediate();
    return true;
  } catch (err) {
    if (isBusy(err) && !wait) return false;
    throw err;
  } finally {
    if (!wait) sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** fn made all-or-nothing per call: a savepoint when called inside inTransaction, its own transaction otherwise. */
export function atomic<A extends unknown[], T>(db: Db, fn: (...args: A) => T): (...args: A) => T {
  return db.$client.transaction(fn);
}

/** The rows of a query one at a time, never all in memory (exports and batch jobs over millions of rows). */
export function iterateRows<T>(db: Db, query: string, ...params: unknown[]): IterableIterator<T> {
  return db.$client.prepare<unknown[], T>(query).iterate(...params);
}

/** As iterateRows, each row an array of its columns in order: for queries Drizzle built, whose columns carry no aliases. */
export function iterateTuples<T extends unknown[]>(db: Db, query: string, ...params: unknown[]): IterableIterator<T> {
  return db.$client
    .prepare(query)
    .raw(true)
    .iterate(...params) as IterableIterator<T>;
}

class RolledBack<T> extends Error {
  constructor(readonly value: T) {
    super("rolled back");
  }
}

/** Runs fn as inTransaction does and then undoes everything it wrote: fn's answer, nothing kept (a dry run). */
export function rolledBack<T>(db: Db, fn: () => T): T {
  try {
    inTransaction(db, () => {
      throw new RolledBack(fn());
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.value as T;
    throw err;
  }
  throw new Error("unreachable: the transaction always throws");
}
