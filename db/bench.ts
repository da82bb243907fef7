/**
 * SQLite work only the bench scripts do: the baselines an import is measured against (plain
 * prepared INSERTs, a table-by-table INSERT … SELECT copy) and the fixtures they add. Nothing in the
 * app calls these; they stay beside the driver so scripts/ holds no SQL.
 */
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { tuneForBulkLoad } from "./maintenance";
import { customerAssignments, staff, storeCustomerStats } from "./schema";

/** Ids by natural key of the reference rows a raw load writes against. */
export function referenceIds(db: Db) {
  const c = db.$client;
  const pairs = (q: string) => new Map((c.prepare(q).all() as { k: string; id: number }[]).map((r) => [r.k, r.id]));
  return {
    sources: pairs("select name as k, id from sources"),
    stores: pairs("select code as k, id from stores"),
    products: pairs("select sku as k, id from products"),
  };
}

/**
 * Prepared plain INSERTs into the import's tables, no normalising, linking or survivorship: the
 * floor a resolved import is compared with. Each returns the new row's id (orders: null when the
 * order was already there).
 */
export function rawInserts(db: Db) {
  const c = db.$client;
  // The profile row as ingest leaves a one-record profile: golden fields, lineage and consents
  // filled, so the name-search trigger fires for both loads.
  const profile = c.prepare(
    `insert into profiles (first_name, last_name, email, phone, loyalty_id, birth_date, city, postcode, tier, lineage, consents, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const record = c.prepare(
    `insert into source_customers (source_id, source_customer_id, profile_id, first_name, last_name, email, phone, loyalty_id, birth_date,
       address, postcode, city, country, tier, consents, payload, payload_hash, source_updated_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const identifier = c.prepare("insert or ignore into identifiers (type, value, profile_id, source_record_id, created_at) values (?, ?, ?, ?, ?)");
  const recordByKey = c.prepare("select id, profile_id as profileId from source_customers where source_id = ? and source_customer_id = ?");
  const order = c.prepare(
    "insert or ignore into orders (source_id, external_id, source_record_id, profile_id, channel, store_id, placed_at, total, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const line = c.prepare("insert into order_lines (order_id, line_no, product_id, quantity, unit_price) values (?, ?, ?, ?, ?)");
  return {
    /** Golden fields in GOLDEN_FIELDS' order, then lineage, consents, created and updated. */
    profile: (...values: unknown[]) => Number(profile.run(...values).lastInsertRowid),
    /** source_customers' columns in the order of the statement above. */
    record: (...values: unknown[]) => Number(record.run(...values).lastInsertRowid),
    identifier: (type: string, value: string, profileId: number, recordId: number, at: number) => void identifier.run(type, value, profileId, recordId, at),
    recordByKey: (sourceId: number | undefined, sourceCustomerId: unknown) =>
      recordByKey.get(sourceId, sourceCustomerId) as { id: number; profileId: number } | undefined,
    order: (...values: unknown[]) => {
      const info = order.run(...values);
      return info.changes === 0 ? null : Number(info.lastInsertRowid);
    },
    line: (orderId: number, lineNo: number, productId: number | undefined, quantity: number, unitPrice: number) =>
      void line.run(orderId, lineNo, productId, quantity, unitPrice),
  };
}

export type FloorCopy = {
  /** Table, rows copied, milliseconds. */
  timings: [string, number, number][];
  /** Distinct profiles behind the source records copied. */
  people: number;
  copySeconds: number;
  indexSeconds: number;
  indexesBuilt: number;
};

/**
 * Copies every filled plain table of the store in `sourceFile` into `target` (an empty migrated
 * store) with INSERT … SELECT under the generator's bulk-load settings. With `withoutIndexes` the
 * secondary indexes and triggers are dropped first and the indexes built after the copy, timed apart.
 */
export function copyStoreRows(target: Db, sourceFile: string, options: { withoutIndexes?: boolean } = {}): FloorCopy {
  const sqlite = target.$client;
  tuneForBulkLoad(target);
  // Rows arrive table by table, children possibly before parents; they were consistent where they came from.
  sqlite.pragma("foreign_keys = OFF");
  sqlite.prepare("attach database ? as generated").run(path.resolve(sourceFile));
  // Every plain table the generator filled; the name-search index is rebuilt by the profiles trigger, as in a real load.
  const tables = (
    sqlite
      .prepare(
        "select name from generated.sqlite_master where type = 'table' and name not like 'sqlite_%' and substr(name, 1, 2) != '__' and name not like 'profile_search%' and sql not like 'CREATE VIRTUAL%'",
      )
      .all() as { name: string }[]
  )
    .map((t) => t.name)
    .filter((t) => (sqlite.prepare(`select exists (select 1 from generated.${t}) as n`).get() as { n: number }).n === 1);
  const people = (sqlite.prepare("select count(distinct profile_id) as n from generated.source_customers").get() as { n: number }).n;

  const columnsOf = (table: string) =>
    (sqlite.prepare(`select name from generated.pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name).join(", ");
  // Secondary indexes (not the primary keys' own) and triggers, to drop now and build after the copy.
  const deferred = options.withoutIndexes
    ? (sqlite.prepare("select type, name, sql from main.sqlite_master where type in ('index', 'trigger') and sql is not null").all() as {
        type: string;
        name: string;
        sql: string;
      }[])
    : [];
  for (const d of deferred) sqlite.prepare(`drop ${d.type} main.${d.name}`).run();
  const timings: [string, number, number][] = [];
  const started = performance.now();
  sqlite.transaction(() => {
    // The migration seeds nothing, but clear anything it might, so the copy is the generated store exactly.
    for (const table of tables) sqlite.prepare(`delete from main.${table}`).run();
    for (const table of tables) {
      const t = performance.now();
      const columns = columnsOf(table);
      const copied = sqlite.prepare(`insert into main.${table} (${columns}) select ${columns} from generated.${table}`).run().changes;
      timings.push([table, copied, performance.now() - t]);
    }
  })();
  const copySeconds = (performance.now() - started) / 1000;
  const indexStarted = performance.now();
  const indexes = deferred.filter((d) => d.type === "index");
  sqlite.transaction(() => {
    for (const d of indexes) sqlite.exec(d.sql);
  })();
  return { timings, people, copySeconds, indexSeconds: (performance.now() - indexStarted) / 1000, indexesBuilt: indexes.length };
}

/**
 * A client book for the list bench: up to `size` of the store's list customers (a fixed spread)
 * assigned to one of its associates, created when the store has none. Returns the associate's id.
 */
export function sampleClientBook(db: Db, storeId: number, at: number, size: number): number {
  const associate =
    db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.homeStoreId, storeId), eq(staff.role, "associate")))
      .get()?.id ??
    db
      .insert(staff)
      .values({ email: "bench.associate@example.com", name: "Bench Associate", role: "associate", homeStoreId: storeId, passwordHash: "x" })
      .returning()
      .get().id;
  const s = storeCustomerStats;
  db.run(sql`insert or ignore into ${customerAssignments} (store_id, profile_id, staff_id, assigned_at)
    select store_id, profile_id, ${associate}, ${at} from ${s} where store_id = ${storeId} and profile_id % 97 = 0 limit ${size}`);
  return associate;
}

/** Live profiles and order lines: the denominators of the store-size figures. */
export function storeCounts(db: Db): { profiles: number; orderLines: number } {
  const count = (q: string) => (db.$client.prepare(q).get() as { n: number }).n;
  return { profiles: count("select count(*) n from profiles where merged_into is null"), orderLines: count("select count(*) n from order_lines") };
}

export function staffByEmail(db: Db, email: string): { id: number; storeId: number | null } {
  return db.$client.prepare("select id, home_store_id storeId from staff where email = ?").get(email) as { id: number; storeId: number | null };
}

export type SampledPerson = { id: number; name: string; loyalty?: string; email?: string; phone?: string };

/**
 * People with a typical history (1–40 orders, a first name), spread over the table in a fixed
 * order, with their first identifier of each type; only the store's list customers when
 * `onListOf` is given.
 */
export function samplePeople(db: Db, limit: number, onListOf?: number): SampledPerson[] {
  const c = db.$client;
  const where = onListOf === undefined ? "1" : "exists (select 1 from store_customer_stats s where s.store_id = @store and s.profile_id = p.id)";
  const ids = (
    c
      .prepare(
        `select p.id from profiles p where p.merged_into is null and p.order_count between 1 and 40 and p.first_name is not null and ${where} order by (p.id * 7919) % 1000003 limit @limit`,
      )
      .all(onListOf === undefined ? { limit } : { limit, store: onListOf }) as { id: number }[]
  ).map((r) => r.id);
  const ident = c.prepare("select type, value from identifiers where profile_id = ?");
  const name = c.prepare("select first_name f, last_name l from profiles where id = ?");
  return ids.map((id) => {
    const p: SampledPerson = { id, name: "" };
    const n = name.get(id) as { f: string; l: string | null };
    p.name = [n.f, n.l].filter(Boolean).join(" ");
    for (const r of ident.all(id) as { type: "loyalty" | "email" | "phone"; value: string }[]) p[r.type] ??= r.value;
    return p;
  });
}

/** The identifier point query on the driver alone, prepared once: the floor under the lib lookup. */
export function identifierPointQuery(db: Db): (type: string, value: string) => unknown[] {
  const point = db.$client.prepare("select distinct profile_id from identifiers where type = ? and value = ?");
  return (type, value) => point.all(type, value);
}

/** How many profiles hold an identifier, prepared once. */
export function identifierOwners(db: Db): (type: string, value: string) => number {
  const owners = db.$client.prepare("select count(distinct profile_id) n from identifiers where type = ? and value = ?");
  return (type, value) => (owners.get(type, value) as { n: number }).n;
}

/** Bytes on disk per table, its indexes counted with it (SQLite's dbstat). */
export function bytesByTable(db: Db): Map<string, number> {
  const c = db.$client;
  const owner = new Map(
    (c.prepare("select name, tbl_name t from sqlite_schema where type in ('table', 'index')").all() as { name: string; t: string }[]).map((r) => [r.name, r.t]),
  );
  const bytes = new Map<string, number>();
  for (const r of c.prepare("select name, sum(pgsize) b from dbstat group by name").all() as { name: string; b: number }[]) {
    const table = owner.get(r.name) ?? r.name;
    bytes.set(table, (bytes.get(table) ?? 0) + r.b);
  }
  return bytes;
}
