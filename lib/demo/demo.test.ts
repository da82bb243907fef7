import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, inTransaction, openDatabase } from "@/db/client";
import { createIngestContext, ingestCustomerRecord, withDeferredRefresh } from "@/lib/identity/ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { ingestOrder } from "@/lib/ingest/orders";
import { normalizeEmail, normalizeLoyaltyId, normalizePhone } from "@/lib/identity/normalize";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { REFERENCE_NOW } from "./calendar";
import { buildCatalogue } from "./catalogue";
import { STORES } from "./chain";
import { DEMO_CUSTOMERS, type SeedSummary, isSeeded, seedDemo } from "./demo";
import { HistoryGenerator, Sequences } from "./history";
import { PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES, PeopleStream, SPARE_TILL_CARD, recordsOf } from "./people";
import { Random } from "./random";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-seed-"));
const open: Db[] = [];

function seeded(name: string, seed: number, profiles = 300): { db: Db; summary: SeedSummary } {
  const db = openDatabase(path.join(dir, `${name}.db`));
  open.push(db);
  return { db, summary: seedDemo(db, { profiles, seed }) };
}

/** Every row of every stored table (search index shadow tables included), in storage order: equal digests mean identical data. */
function digest(db: Db): Record<string, string> {
  const tables = db.$client.prepare("select name, sql from sqlite_master where type = 'table' and sql not like 'CREATE VIRTUAL%' order by name").all() as {
    name: string;
    sql: string;
  }[];
  return Object.fromEntries(
    tables.map(({ name, sql }) => {
      // A WITHOUT ROWID table is scanned in primary key order already.
      const order = /without rowid/i.test(sql) ? "" : " order by rowid";
      const rows = db.$client.prepare(`select * from "${name}"${order}`).raw().all();
      return [name, createHash("sha256").update(JSON.stringify(rows)).digest("hex")];
    }),
  );
}

function all<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.$client.prepare(sql).all(...params) as T[];
}

let main: { db: Db; summary: SeedSummary };

beforeAll(() => {
  main = seeded("main", 7);
});

afterAll(() => {
  for (const db of open) db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("seedDemo", () => {
  it("gives byte-identical data for the same seed, and different data for another", () => {
    const again = seeded("again", 7);
    const other = seeded("other", 8);
    const expected = digest(main.db);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(["profiles", "source_customers", "orders", "order_lines", "interactions", "staff", "settings"]),
    );
    expect(digest(again.db)).toEqual(expected);
    expect(again.summary).toMatchObject({ ...main.summary, elapsedMs: expect.any(Number) });
    expect(digest(other.db).orders).not.toBe(expected.orders);
  });

  it("loads a realistic chain for the number of people asked for", () => {
    const s = main.summary;
    expect(s.people).toBe(300);
    expect(s.profiles).toBeGreaterThan(270);
    expect(s.profiles).toBeLessThan(360);
    expect(s.orderLines / s.people).toBeGreaterThan(7);
    expect(s.orderLines / s.people).toBeLessThan(14);
    expect(s.products).toBeGreaterThan(2000);
    const anonymous = all<{ n: number }>(main.db, "select count(*) n from orders where source_record_id is null")[0].n;
    expect(anonymous / s.orders).toBeGreaterThan(0.08);
    expect(anonymous / s.orders).toBeLessThan(0.25);
    expect(all<{ n: number }>(main.db, "select count(*) n from orders where total < 0")[0].n).toBeGreaterThan(0);
    expect(isSeeded(main.db)).toBe(true);
    expect(() => seedDemo(main.db, { profiles: 10 })).toThrow(/already holds a chain/);
  });

  it("gives every product an illustration that exists and stock with gaps in every store", () => {
    const images = all<{ image_path: string }>(main.db, "select distinct image_path from products");
    expect(images.length).toBeGreaterThanOrEqual(20);
    expect(images.filter((i) => !fs.existsSync(path.join("public", i.image_path)))).toEqual([]);
    const stock = all<{ code: string; ranged: number; out: number }>(
      main.db,
      "select st.code, count(*) ranged, sum(i.quantity = 0) out from inventory i join stores st on st.id = i.store_id group by st.code",
    );
    expect(stock).toHaveLength(STORES.length);
    for (const s of stock) expect(s.out / s.ranged, s.code).toBeGreaterThan(0.05);
  });

  it("resolves Anna's records in every source to one profile with her orders from every channel", () => {
    const anna = DEMO_CUSTOMERS.anna;
    const settings = loadIdentitySettings(main.db);
    const lookups = [
      { type: "phone", value: normalizePhone(anna.posPhone, "GB") },
      { type: "phone", value: normalizePhone(anna.ecomPhone, "GB") },
      { type: "email", value: normalizeEmail(anna.ecomEmail) },
      { type: "loyalty", value: normalizeLoyaltyId(anna.posCard, settings.loyalty) },
      { type: "loyalty", value: anna.loyaltyId },
    ];
    const owners = new Set(
      lookups.flatMap(({ type, value }) =>
        all<{ profile_id: number }>(main.db, "select profile_id from identifiers where type = ? and value = ?", type, value).map((r) => r.profile_id),
      ),
    );
    expect(owners.size).toBe(1);
    const [profileId] = owners;
    const profile = all<{ first_name: string; last_name: string; loyalty_id: string; merged_into: number | null }>(
      main.db,
      "select * from profiles where id = ?",
      profileId,
    )[0];
    expect(profile).toMatchObject({ first_name: "Anna", last_name: "Kowalski", loyalty_id: anna.loyaltyId, merged_into: null });
    const sources = all<{ name: string }>(
      main.db,
      "select s.name from source_customers c join sources s on s.id = c.source_id where c.profile_id = ? order by s.name",
      profileId,
    );
    expect(sources.map((s) => s.name)).toEqual(["app", "ecom", "loyalty", "pos"]);
    const orders = all<{ channel: string; store: string | null; total: number; lines: number; placed_at: number }>(
      main.db,
      `select o.channel, st.code store, o.total, o.placed_at, (select count(*) from order_lines l where l.order_id = o.id) lines
       from orders o left join stores st on st.id = o.store_id where o.profile_id = ?`,
      profileId,
    );
    expect(new Set(orders.map((o) => o.channel))).toEqual(new Set(["store", "online", "app"]));
    expect(orders.filter((o) => o.channel === "store").every((o) => o.store === "LDN")).toBe(true);
    expect(orders.filter((o) => o.total < 0)).toHaveLength(1);
    const lines = orders.reduce((n, o) => n + o.lines, 0);
    expect(lines).toBeGreaterThanOrEqual(15);
    expect(lines).toBeLessThanOrEqual(30);
    const linenTop = all<{ channel: string; placed_at: number }>(
      main.db,
      "select o.channel, o.placed_at from orders o join order_lines l on l.order_id = o.id join products p on p.id = l.product_id where o.profile_id = ? and p.name = 'Linen Top'",
      profileId,
    );
    expect(linenTop).toEqual([{ channel: "online", placed_at: Date.UTC(2026, 4, 3, 20, 50) }]);
  });

  it("creates the other demo customers as the README describes them", () => {
    const profileOf = (type: string, value: string | null) =>
      all<{ id: number; first_name: string; order_count: number }>(
        main.db,
        "select p.* from identifiers i join profiles p on p.id = i.profile_id where i.type = ? and i.value = ?",
        type,
        value,
      )[0];
    const james = profileOf("email", DEMO_CUSTOMERS.james.email);
    expect(james.first_name).toBe("James");
    expect(all(main.db, "select 1 from source_customers where profile_id = ?", james.id)).toHaveLength(1);
    const priya = profileOf("phone", DEMO_CUSTOMERS.priya.phoneE164);
    expect(priya.first_name).toBe("Priya");
    expect(
      all<{ code: string }>(main.db, "select distinct st.code from orders o join stores st on st.id = o.store_id where o.profile_id = ?", priya.id),
    ).toEqual([{ code: "LDS" }]);
    const oliver = profileOf("email", DEMO_CUSTOMERS.oliver.email);
    expect(profileOf("loyalty", DEMO_CUSTOMERS.oliver.loyaltyId).id).toBe(oliver.id);
    const lines = all<{ n: number }>(main.db, "select count(*) n from order_lines l join orders o on o.id = l.order_id where o.profile_id = ?", oliver.id)[0].n;
    expect(lines).toBeGreaterThanOrEqual(110);
    expect(lines).toBeLessThanOrEqual(140);
  });

  it("never links on placeholders, the stores' phones or the spare till card", () => {
    const blocked = [
      ...PLACEHOLDER_EMAILS.map((e) => normalizeEmail(e)),
      ...[...PLACEHOLDER_PHONES, ...STORES.map((s) => s.phone)].map((p) => normalizePhone(p, "GB")),
      SPARE_TILL_CARD,
    ].filter((v): v is string => v !== null);
    const used = all<{ n: number }>(
      main.db,
      `select count(*) n from source_customers where lower(trim(email)) in (${PLACEHOLDER_EMAILS.map(() => "?").join(",")})`,
      ...PLACEHOLDER_EMAILS.map((e) => e.toLowerCase()),
    );
    expect(used[0].n).toBeGreaterThan(0);
    expect(all(main.db, `select 1 from identifiers where value in (${blocked.map(() => "?").join(",")})`, ...blocked)).toEqual([]);
    // Every profile holding a placeholder email belongs to one person (households link by their shared landline, not the placeholder).
    const people = all<{ profile_id: number; people: number }>(
      main.db,
      `select profile_id, count(distinct cast(substr(source_customer_id, -7) as integer)) people from source_customers
       where profile_id in (select profile_id from source_customers where lower(trim(email)) in (${PLACEHOLDER_EMAILS.map(() => "?").join(",")}))
         and source_id in (select id from sources where name in ('pos', 'ecom', 'loyalty'))
         and profile_id not in (select profile_id from identifiers where type = 'phone' and value not like '+447%')
       group by profile_id`,
      ...PLACEHOLDER_EMAILS.map((e) => e.toLowerCase()),
    );
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((p) => p.people > 1)).toEqual([]);
  });

  it("gives people valid mobile numbers, so the same number typed differently links", () => {
    const ecomPhones = all<{ phone: string }>(
      main.db,
      "select phone from source_customers where source_id = (select id from sources where name = 'ecom') and phone is not null",
    );
    expect(ecomPhones.length).toBeGreaterThan(50);
    expect(ecomPhones.filter((r) => normalizePhone(r.phone, "GB") === null)).toEqual([]);
  });

  it("creates the demo staff with working passwords and PINs", () => {
    const rows = all<{ email: string; role: string; code: string | null; password_hash: string; pin_hash: string | null }>(
      main.db,
      "select s.email, s.role, st.code, s.password_hash, s.pin_hash from staff s left join stores st on st.id = s.home_store_id order by s.id",
    );
    expect(rows.map((r) => [r.email, r.role, r.code])).toEqual([
      ["associate@demo.clientele", "associate", "LDN"],
      ["manager@demo.clientele", "manager", "LDN"],
      ["hq@demo.clientele", "hq", null],
      ["associate.leeds@demo.clientele", "associate", "LDS"],
      ["manager.leeds@demo.clientele", "manager", "LDS"],
    ]);
    expect(bcrypt.compareSync("demo-associate", rows[0].password_hash)).toBe(true);
    expect(bcrypt.compareSync("1234", rows[0].pin_hash!)).toBe(true);
    expect(bcrypt.compareSync("2345", rows[3].pin_hash!)).toBe(true);
    expect(rows[1].pin_hash).toBeNull();
  });

  it("ingests the same profiles with refreshes deferred to the end of a batch as with a refresh per record", () => {
    const dbs = [seeded("immediate", 1, 4).db, seeded("deferred", 1, 4).db];
    const seq = new Sequences();
    seq.pos = seq.ecom = seq.app = seq.event = 1_000_000;
    const random = new Random(99);
    const people = new PeopleStream(random, 5);
    const history = new HistoryGenerator(random, buildCatalogue(), seq);
    // Enough people for households and bridging records, so merges happen mid-batch.
    const activity = Array.from({ length: 400 }, () => {
      const person = people.next();
      return { records: recordsOf(random, person), orders: history.ordersOf(person), interactions: history.interactionsOf(person) };
    });
    dbs.forEach((db, i) => {
      const ctx = createIngestContext(db, () => REFERENCE_NOW);
      const load = () => {
        for (const a of activity) {
          a.records.forEach((r) => ingestCustomerRecord(ctx, r));
          a.orders.forEach((o) => ingestOrder(ctx, o));
          a.interactions.forEach((e) => ingestInteraction(ctx, e));
        }
      };
      inTransaction(db, () => (i === 0 ? load() : withDeferredRefresh(ctx, load)));
    });
    const profilesOf = (db: Db) => all(db, "select * from profiles order by id");
    expect(all<{ n: number }>(dbs[1], "select count(*) n from merge_events")[0].n).toBeGreaterThan(0);
    expect(profilesOf(dbs[1])).toEqual(profilesOf(dbs[0]));
  });

  it("ingests an interaction once: sending it again updates it in place", () => {
    const db = seeded("events", 1, 4).db;
    const ctx = createIngestContext(db, () => REFERENCE_NOW);
    const anna = all<{ source_customer_id: string; profile_id: number }>(
      db,
      "select source_customer_id, profile_id from source_customers where source_customer_id like 'u-%'",
    )[0];
    const event = {
      source: "app",
      externalId: "EV-test",
      sourceCustomerId: anna.source_customer_id,
      kind: "wishlist" as const,
      sku: "LT-0412-M",
      at: REFERENCE_NOW,
    };
    const first = inTransaction(db, () => ingestInteraction(ctx, event));
    const again = inTransaction(db, () => ingestInteraction(ctx, { ...event, kind: "cart", sku: "LT-0412-S" }));
    expect(first).toMatchObject({ status: "inserted", profileId: anna.profile_id });
    expect(again).toEqual({ ...first, status: "updated" });
    expect(all(db, "select kind from interactions where external_id = 'EV-test'")).toEqual([{ kind: "cart" }]);
    expect(() => inTransaction(db, () => ingestInteraction(ctx, { ...event, externalId: "EV-x", sourceCustomerId: "nobody" }))).toThrow(/No app customer/);
  });
});
