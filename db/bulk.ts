import type { Db } from "./client";
import { isBusy } from "./dialect";

/**
 * SQLite's side of a bulk load (lib/identity/bulk.ts): one transaction, secondary indexes and the
 * name index dropped before the rows and built after them, rows written many to a statement. Index
 * builds sort once instead of inserting a million keys one by one into a B-tree.
 */

/** SQLite's limit on bound parameters in one statement. */
const MAX_PARAMETERS = 32_766;

/** Next value of each table's AUTOINCREMENT sequence: what the next plain INSERT would take. */
export function nextIds(db: Db, tables: string[]): Map<string, number> {
  const seq = db.$client.prepare<[string], number>("select seq from sqlite_sequence where name = ?").pluck();
  return new Map(
    tables.map((t) => {
      const max = db.$client.prepare<[], number | null>(`select max(id) from ${t}`).pluck().get() ?? 0;
      return [t, Math.max(seq.get(t) ?? 0, max) + 1];
    }),
  );
}

export type Schema = { name: string; sql: string }[];

/** Drops the tables' secondary indexes (not those behind a primary key or UNIQUE column); returns them to build again. */
export function dropIndexes(db: Db, tables: string[]): Schema {
  const found = db.$client
    .prepare<unknown[], { name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => "?").join(", ")})`,
    )
    .all(...tables);
  for (const i of found) db.$client.exec(`drop index "${i.name}"`);
  return found;
}

/** The name index's triggers: each profile row would otherwise index its name as it is written. */
export function dropNameIndexTriggers(db: Db): Schema {
  const found = db.$client
    .prepare<[], { name: string; sql: string }>("select name, sql from sqlite_master where type = 'trigger' and name like 'profile_search%'")
    .all();
  for (const t of found) db.$client.exec(`drop trigger "${t.name}"`);
  return found;
}

export function restoreSchema(db: Db, schema: Schema): void {
  for (const s of schema) db.$client.exec(s.sql);
}

/** The name index's rows of the live, named profiles that `idCondition` (one parameter) picks, as the insert trigger writes them. */
const indexNamesWhere = (idCondition: string) =>
  `insert into profile_search (rowid, name, city)
   select id, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), coalesce(city, '') from profiles
   where ${idCondition} and merged_into is null and (first_name is not null or last_name is not null)`;

/** Indexes the names of live profiles with IDs from `firstId` on, as the insert trigger would have. */
export function indexNamesFrom(db: Db, firstId: number): void {
  db.$client.prepare(indexNamesWhere("id >= ?")).run(firstId);
}

/**
 * Builds the name index again over every live profile. The index deletes securely (an erased
 * customer's words go from its pages), so each profile taken out of it rewrites the pages holding
 * its words: on the generator's 200,000 records about 90 µs a profile, against under 2 µs to index
 * one afresh. Emptying it drops its pages, which secure_delete zeroes.
 */
export function rebuildNameIndex(db: Db): void {
  db.$client.exec("insert into profile_search (profile_search) values ('delete-all')");
  indexNamesFrom(db, 0);
}

/** A profile's name and city as the name index holds them, read before a write that may change them. */
export function profileNames(db: Db): (id: number) => string {
  const read = db.$client.prepare<[number], { n: string }>("select json_array(first_name, last_name, city) as n from profiles where id = ?");
  return (id) => read.get(id)!.n;
}

/**
 * Indexes the names of `ids` again, as the update trigger does when a profile's name or city
 * changes. All the deletes go first: FTS5 writes out the rows it holds pending before each delete,
 * so interleaving them would write one small segment per profile.
 */
export function reindexNames(db: Db, ids: number[]): void {
  const drop = db.$client.prepare("delete from profile_search where rowid = ?");
  const add = db.$client.prepare(indexNamesWhere("id = ?"));
  for (const id of ids) drop.run(id);
  for (const id of ids) add.run(id);
}

/** Points the rows of `tables` held by each old profile (the first of a pair) at the new one, in one pass per table. */
export function remapProfiles(db: Db, pairs: [number, number][], tables: string[]): void {
  if (pairs.length === 0) return;
  const sqlite = db.$client;
  sqlite.exec("create temp table bulk_remap (old integer primary key, new integer not null)");
  try {
    const insert = sqlite.prepare("insert into bulk_remap (old, new) values (?, ?)");
    for (const [from, to] of pairs) insert.run(from, to);
    for (const t of tables) sqlite.exec(`update ${t} set profile_id = r.new from bulk_remap r where ${t}.profile_id = r.old`);
  } finally {
    sqlite.exec("drop table bulk_remap");
  }
}

/** Runs fn with a temporary table `name` of `columns` (SQL), dropped afterwards whatever happens. */
export function withTempTable<T>(db: Db, name: string, columns: string, fn: () => T): T {
  db.$client.exec(`create temp table ${name} (${columns})`);
  try {
    return fn();
  } finally {
    db.$client.exec(`drop table temp.${name}`);
  }
}

// What a bulk load reads of a nearly empty store before it starts, in the order the incremental
// path's indexes give (by record, by key then record).

/** Whether any suggestion shown to a customer is still waiting for a purchase to credit it. */
export function suggestionsAwaitingPurchase(db: Db): boolean {
  return db.$client.prepare("select 1 from suggestion_events where converted_order_id is null limit 1").get() !== undefined;
}

/**
 * Every customer record with its match and survivorship fields, camel-cased; the caller names the
 * row type. phoneIdentifier is the phone identifier the record was linked by, if any: its number as
 * normalised when the record came in. (The unary + keeps SQLite off the index led by type, which
 * would walk every phone identifier for each record.)
 */
export function storedCustomerRecords<Row>(db: Db): IterableIterator<Row> {
  return db.$client
    .prepare<[], Row>(
      `select id, profile_id as profileId, source_id as sourceId, source_customer_id as sourceCustomerId, payload_hash as payloadHash,
         first_name as firstName, last_name as lastName, birth_date as birthDate, email, phone, postcode, address, city,
         loyalty_id as loyaltyId, tier, consents, source_updated_at as sourceUpdatedAt,
         (select value from identifiers i where i.source_record_id = source_customers.id and +i.type = 'phone') as phoneIdentifier
       from source_customers order by id`,
    )
    .iterate();
}

export function storedIdentifiers(db: Db): IterableIterator<{ type: string; value: string; recordId: number }> {
  return db.$client
    .prepare<[], { type: string; value: string; recordId: number }>(
      "select type, value, source_record_id as recordId from identifiers order by source_record_id",
    )
    .iterate();
}

export function storedMatchKeys(db: Db): IterableIterator<{ key: string; recordId: number }> {
  return db.$client
    .prepare<[], { key: string; recordId: number }>("select key, source_record_id as recordId from match_keys order by key, source_record_id")
    .iterate();
}

export function storedRedirects(db: Db): IterableIterator<{ id: number; mergedInto: number }> {
  return db.$client
    .prepare<[], { id: number; mergedInto: number }>("select id, merged_into as mergedInto from profiles where merged_into is not null")
    .iterate();
}

export function storedReviewItems(
  db: Db,
): IterableIterator<{ kind: string; a: number; b: number | null; status: string; type: string | null; value: string | null }> {
  return db.$client
    .prepare<[], { kind: string; a: number; b: number | null; status: string; type: string | null; value: string | null }>(
      "select kind, profile_a as a, profile_b as b, status, identifier_type as type, identifier_value as value from review_queue",
    )
    .iterate();
}

/**
 * [store, profile, product] of every positive line of a store order with a customer, in the lines'
 * row order (the customer lists' rebuild): the lines read straight through, each order by its key.
 */
export function storeOrderLines(db: Db): IterableIterator<[number, number, number]> {
  return db.$client
    .prepare<[], [number, number, number]>(
      `select o.store_id, o.profile_id, l.product_id from order_lines l cross join orders o on o.id = l.order_id
       where l.quantity > 0 and o.store_id is not null and o.profile_id is not null and l.product_id is not null`,
    )
    .raw()
    .iterate();
}

/** Writes rows (each an array in `columns` order) with as many rows per INSERT as SQLite takes. */
export class RowWriter {
  private readonly perStatement: number;
  private readonly full;
  private buffer: unknown[] = [];
  private rows = 0;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: string[],
  ) {
    this.perStatement = Math.min(500, Math.floor(MAX_PARAMETERS / columns.length));
    this.full = this.statement(this.perStatement);
  }

  private statement(rows: number) {
    const one = `(${this.columns.map(() => "?").join(", ")})`;
    return this.db.$client.prepare(`insert into ${this.table} (${this.columns.join(", ")}) values ${Array(rows).fill(one).join(", ")}`);
  }

  add(row: unknown[]): void {
    for (const v of row) this.buffer.push(v);
    if (++this.rows === this.perStatement) {
      this.full.run(this.buffer);
      this.buffer = [];
      this.rows = 0;
    }
  }

  flush(): void {
    if (this.rows > 0) this.statement(this.rows).run(this.buffer);
    this.buffer = [];
    this.rows = 0;
  }
}

/**
 * Runs fn in one IMMEDIATE transaction with foreign keys checked once at the end instead of row by
 * row (rows go in whatever order is cheapest, parents possibly after their children): a violation
 * rolls the whole load back, as any other error does. The rows checked are those the load added to
 * `tables` (rowids past the largest before it): the rest were checked when they were written, and
 * a load changes them only to point at rows the store holds (a replayed merge) or it wrote. Checking
 * whole tables made the check the dearest step of loading a file into a store already holding many.
 */
export function inBulkTransaction<T>(db: Db, tables: string[], fn: () => T): T {
  const sqlite = db.$client;
  const enforced = sqlite.pragma("foreign_keys", { simple: true }) === 1;
  // Only outside a transaction does SQLite let this change.
  sqlite.pragma("foreign_keys = OFF");
  const journal = writeOnce(db);
  try {
    return sqlite
      .transaction(() => {
        const before = new Map(tables.map((t) => [t, sqlite.prepare<[], number>(`select coalesce(max(rowid), 0) from ${t}`).pluck().get()!]));
        const result = fn();
        const ranges = new Map<string, RowidRange | null>();
        for (const table of tables) {
          const broken = danglingRows(db, table, before.get(table)!, ranges);
          if (broken) throw new Error(`Bulk load left ${broken} rows of ${table} pointing at nothing; nothing was written.`);
        }
        return result;
      })
      .immediate();
  } finally {
    journal.restore();
    if (enforced) sqlite.pragma("foreign_keys = ON");
  }
}

/**
 * A bulk load writes mostly pages past the end of the file. Through the write-ahead log each is
 * written twice, to the log and then by the checkpoint into the file; a rollback journal keeps only
 * the pages the load changes that the file had before, so the new ones are written once, and the
 * transaction is as atomic. SQLite leaves the WAL only while no other connection has the file open:
 * with the app running, the load goes through the WAL as before. Importing a million customer
 * records into an empty store: the 8-9 s checkpoint of a 1.6 GB log gone, 7-9 s less system time.
 */
function writeOnce(db: Db): { restore(): void } {
  const sqlite = db.$client;
  const unchanged = { restore() {} };
  if (sqlite.pragma("journal_mode", { simple: true }) !== "wal") return unchanged;
  try {
    sqlite.pragma("journal_mode = DELETE");
  } catch (err) {
    if (isBusy(err)) return unchanged;
    throw err;
  }
  return {
    restore() {
      try {
        sqlite.pragma("journal_mode = WAL");
      } catch (err) {
        // Someone opened the store meanwhile and holds it; every connection openDatabase makes asks for the WAL again.
        if (!isBusy(err)) throw err;
      }
    },
  };
}

/**
 * Rows of `table` past rowid `after` whose foreign keys (single columns, as all of ours) name no row:
 * foreign_key_check for new rows. A key naming a rowid (every key of ours) whose parent's rowids
 * run without a gap is checked against that range: each new row is compared with two numbers, and
 * the parent's rows are counted once. Otherwise SQLite reads the parent's keys once (from its
 * smallest index) into a list with a Bloom filter and tests each row against that, where a
 * correlated lookup per row read a page of the parent per row, at random for most (match keys run in
 * key order, their records in ID order): at 200,000 people 19 s → 5 s on a store the page cache no
 * longer held. Building those lists was still most of the check: generating a million people, 21 s
 * of checks became 10.5 s with the ranges (match keys alone 6.1 s → 0.8 s).
 */
function danglingRows(db: Db, table: string, after: number, ranges: Map<string, RowidRange | null>): number {
  const keys = db.$client.prepare<[], { table: string; from: string; to: string | null }>(`pragma foreign_key_list(${table})`).all();
  let broken = 0;
  for (const k of keys) {
    const child = `c."${k.from}"`;
    const range = rowidKey(db, k.table, k.to) ? rowidRange(db, k.table, ranges) : null;
    const parentKey = `p."${k.to ?? "rowid"}"`;
    const namesNothing = range
      ? // Within a gapless range every integer names a row; anything else (text, a fraction) names none.
        `(typeof(${child}) <> 'integer' or ${child} < ${range.first} or ${child} > ${range.last})`
      : // The unary + asks for the list (not a lookup in the parent's own key); NOT IN against a list holding a null would match nothing.
        `${child} not in (select +${parentKey} from "${k.table}" p where ${parentKey} is not null)`;
    broken += db.$client
      .prepare<[number], number>(`select count(*) from "${table}" c where c.rowid > ? and ${child} is not null and ${namesNothing}`)
      .pluck()
      .get(after)!;
  }
  return broken;
}

type RowidRange = { first: number; last: number };

/** Whether the key a foreign key names is the parent's rowid: its INTEGER PRIMARY KEY, or none named. */
function rowidKey(db: Db, table: string, column: string | null): boolean {
  const [shape] = db.$client.prepare<[string], { wr: number }>("select wr from pragma_table_list where name = ? and schema = 'main'").all(table);
  if (!shape || shape.wr) return false;
  if (column === null) return true;
  const pk = db.$client.prepare<[string], { name: string; type: string }>("select name, type from pragma_table_info(?) where pk > 0").all(table);
  return pk.length === 1 && pk[0].name === column && pk[0].type.toUpperCase() === "INTEGER";
}

/** The parent's rowids when they run from first to last without a gap (null otherwise, or when it has no rows); counted once per check. */
function rowidRange(db: Db, table: string, ranges: Map<string, RowidRange | null>): RowidRange | null {
  if (!ranges.has(table)) {
    const r = db.$client
      .prepare<[], { n: number; first: number | null; last: number | null }>(`select count(*) as n, min(rowid) as first, max(rowid) as last from "${table}"`)
      .get()!;
    ranges.set(table, r.n > 0 && r.last! - r.first! + 1 === r.n ? { first: r.first!, last: r.last! } : null);
  }
  return ranges.get(table)!;
}
