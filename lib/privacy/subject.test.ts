import fs from "node:fs";
import { flushAuditSoon } from "@/lib/audit/deferred";
import { checkpoint } from "@/db/maintenance";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, inTransaction } from "@/db/client";
import { auditLog, customerAssignments, erasures, followUps, matchKeys, orderLines, products, profiles, sourceCustomers, sources, staff } from "@/db/schema";
import { eq, inArray, sql } from "drizzle-orm";
import { handleLookup } from "@/lib/api/handlers";
import { createApiKey } from "@/lib/api/keys";
import { searchedHash } from "@/lib/audit/audit";
import { findPossibleDuplicates, settleJoins } from "@/lib/identity/duplicates";
import { addNote, addTag, setPreference } from "@/lib/customers/clienteling";
import { recordConsent } from "@/lib/customers/consent";
import { lookupCustomer } from "@/lib/customers/lookup";
import { findProfileIdsByName } from "@/lib/customers/name-search";
import { createIngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "@/lib/identity/normalize";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { recordFeedback } from "@/lib/suggest/feedback";
import { ingest, seedBasics, tempDatabase } from "@/lib/test/factories";
import { eraseSubject, exportSubject } from "./subject";
import { liftSuppression } from "./suppression";

const annaCard = makeLoyaltyId(4242, DEFAULT_IDENTITY_SETTINGS.loyalty);
const piotrCard = makeLoyaltyId(5151, DEFAULT_IDENTITY_SETTINGS.loyalty);
/** Everything that names Anna and nobody else: none of it may survive her erasure anywhere in the file. */
const ANNA = [
  "Anna",
  "Kowalski",
  "anna.kowalski@example.com",
  annaCard,
  "1988-04-17",
  "27 Albion Road",
  "N16 9PS",
  "likes linen",
  "size 12 in tops",
  "vip-anna",
];
const at = (month: number, day: number) => Date.UTC(2026, month - 1, day);

const AUDIT_KEY = "k".repeat(32);
let db: Db;
let file: string;
let cleanup: () => void;
let staffId: number;

beforeEach(() => {
  ({ db, file, cleanup } = tempDatabase());
  seedBasics(db);
  staffId = db.insert(staff).values({ email: "sam@example.com", name: "Sam Patel", role: "associate", homeStoreId: 1, passwordHash: "x" }).returning().get().id;
});
afterEach(() => cleanup());

/** Anna, known to three sources as two profiles until her loyalty record bridged them, with a life in the app around her. */
function seedAnna() {
  const first = ingest(db, [
    { source: "pos", sourceCustomerId: "P1", firstName: "Anna", lastName: "Kowalski", phone: "07412 345678", postcode: "N16 9PS", city: "London" },
    {
      source: "ecom",
      sourceCustomerId: "E1",
      firstName: "Anna",
      lastName: "Kowalski",
      email: "anna.kowalski@example.com",
      address: "27 Albion Road",
      birthDate: "1988-04-17",
    },
  ]);
  const bridged = ingest(
    db,
    [
      {
        source: "loyalty",
        sourceCustomerId: "L1",
        firstName: "Anna",
        lastName: "Kowalski",
        email: "Anna.Kowalski@example.com",
        phone: "+44 7412 345678",
        loyaltyId: annaCard,
        tier: "Gold",
      },
      // Her partner shares the household phone but holds another card: kept apart, sent to review.
      // Her partner on the same phone with his own card: the match model does not even ask.
      { source: "loyalty", sourceCustomerId: "L2", firstName: "Piotr", lastName: "Nowak", phone: "07412 345678", loyaltyId: piotrCard },
    ],
    [
      {
        source: "pos",
        externalId: "T1",
        sourceCustomerId: "P1",
        channel: "store",
        storeCode: "LDN",
        placedAt: at(5, 3),
        lines: [{ sku: "LT-1-M", quantity: 2, unitPrice: 3900 }],
      },
      {
        source: "ecom",
        externalId: "W1",
        sourceCustomerId: "E1",
        channel: "online",
        placedAt: at(6, 1),
        lines: [{ sku: "JK-1-M", quantity: 1, unitPrice: 8900 }],
      },
      { source: "pos", externalId: "T2", channel: "store", storeCode: "LDN", placedAt: at(6, 2), lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }] },
    ],
  );
  const anna = bridged.customers[0].profileId;
  const absorbed = first.customers.map((c) => c.profileId).filter((id) => id !== anna);
  const ctx = createIngestContext(db);
  inTransaction(db, () => ingestInteraction(ctx, { source: "ecom", externalId: "V1", sourceCustomerId: "E1", kind: "wishlist", sku: "JK-1-M", at: at(5, 20) }));
  const by = { staffId, storeId: 1 };
  addNote(db, anna, by, "Anna likes linen");
  setPreference(db, anna, by, { category: "Tops", size: "12", note: "size 12 in tops" });
  addTag(db, anna, by, "vip-anna");
  recordConsent(db, anna, by, "sms", true);
  recordFeedback(db, {
    profileId: anna,
    storeId: 1,
    staffId,
    style: "JK-1",
    sku: null,
    source: "interest",
    ruleId: null,
    anchorStyle: null,
    anchorAt: null,
    status: "accepted",
  });
  db.insert(customerAssignments)
    .values({ storeId: 1, profileId: anna, staffId, assignedAt: at(6, 3) })
    .run();
  return { anna, absorbed, piotr: bridged.customers[1].profileId };
}

/** Every text cell in every table, to prove something is nowhere. */
function everyText(): string {
  const tables = db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and name not like 'profile_search%' and name not like '__drizzle%' and name not like 'sqlite_%'`,
  );
  return tables.map(({ name }) => JSON.stringify(db.$client.prepare(`select * from "${name}"`).all())).join("\n");
}

const productStats = () =>
  db
    .select({ sku: products.sku, units: sql<number>`sum(${orderLines.quantity})`, revenue: sql<number>`sum(${orderLines.quantity} * ${orderLines.unitPrice})` })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .groupBy(products.sku)
    .all();

describe("exportSubject", () => {
  it("gathers everything about one customer, including the profiles merged into her", () => {
    const { anna, absorbed } = seedAnna();
    expect(absorbed).toHaveLength(1);
    // Asked by a merged-away ID, the export is still the whole person.
    const e = exportSubject(db, absorbed[0]);
    expect(e.profileId).toBe(anna);
    expect(e.profile).toMatchObject({ firstName: "Anna", lastName: "Kowalski", loyaltyId: annaCard, tier: "Gold" });
    expect(Object.keys(e.profile.lineage ?? {})).toEqual(expect.arrayContaining(["firstName", "email", "phone", "loyaltyId"]));
    expect(e.mergedProfiles.map((p) => p.id)).toEqual(absorbed);
    expect(e.sourceRecords.map((r) => r.sourceCustomerId).sort()).toEqual(["E1", "L1", "P1"]);
    expect(e.sourceRecords.find((r) => r.sourceCustomerId === "E1")!.payload).toMatchObject({ address: "27 Albion Road", birthDate: "1988-04-17" });
    expect(new Set(e.identifiers.map((i) => i.type))).toEqual(new Set(["email", "phone", "loyalty"]));
    expect(e.orders.map((o) => [o.externalId, o.lines.map((l) => [l.sku, l.quantity])])).toEqual([
      ["T1", [["LT-1-M", 2]]],
      ["W1", [["JK-1-M", 1]]],
    ]);
    expect(e.interactions).toMatchObject([{ kind: "wishlist", sku: "JK-1-M" }]);
    expect(e.notes.map((n) => n.body)).toEqual(["Anna likes linen"]);
    expect(e.preferences).toMatchObject([{ category: "Tops", size: "12" }]);
    expect(e.tags.map((t) => t.tag)).toEqual(["vip-anna"]);
    expect(e.consentEvents).toMatchObject([{ channel: "sms", granted: true }]);
    expect(e.suggestionEvents).toMatchObject([{ style: "JK-1", status: "accepted" }]);
    expect(e.mergeHistory).toMatchObject([{ kind: "merge", survivorId: anna, absorbedId: absorbed[0] }]);
    expect(e.reviewQueue).toEqual([]);
    expect(e.assignments).toMatchObject([{ storeId: 1, staffId }]);
    expect(e.erased).toBeNull();
  });

  it("has a section for every table that points at a profile", () => {
    // A new table holding customer data must be added to the export (or consciously left out here).
    const covered: Record<string, keyof ReturnType<typeof exportSubject>> = {
      profiles: "mergedProfiles",
      source_customers: "sourceRecords",
      identifiers: "identifiers",
      orders: "orders",
      interactions: "interactions",
      notes: "notes",
      preferences: "preferences",
      profile_tags: "tags",
      consent_events: "consentEvents",
      suggestion_events: "suggestionEvents",
      merge_events: "mergeHistory",
      review_queue: "reviewQueue",
      customer_assignments: "assignments",
      follow_ups: "followUps",
      store_customer_stats: "storeFigures",
      store_customer_purchases: "storeFigures",
      erasures: "erased",
    };
    // Staff activity, not customer data: who looked whom up is the chain's own accountability record.
    const notCustomerData = ["audit_log"];
    const tables = db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`,
    );
    const pointing = tables
      .filter(({ name }) =>
        db.$client
          .prepare(`select * from pragma_table_info(?)`)
          .all(name)
          .some((c) => /^(profile_id|profile_a|profile_b|survivor_id|absorbed_id|merged_into)$/.test((c as { name: string }).name)),
      )
      .map((t) => t.name)
      .filter((name) => !notCustomerData.includes(name));
    expect(pointing.sort()).toEqual(Object.keys(covered).sort());
  });

  it("says so when there is no such customer", () => {
    expect(() => exportSubject(db, 999)).toThrow(/no customer with profile ID 999/);
  });
});

describe("eraseSubject", () => {
  it("leaves nothing that names her, and no lookup by any former identifier finds her", () => {
    const { anna, absorbed, piotr } = seedAnna();
    const statsBefore = productStats();
    const before = db.select().from(profiles).where(eq(profiles.id, anna)).get()!;
    for (const value of ANNA) expect(everyText(), value).toContain(value);
    const { counts } = eraseSubject(db, anna, { staffId, storeId: 1 }, at(7, 1));
    expect(counts).toMatchObject({
      profiles: 2,
      sourceRecords: 3,
      notes: 1,
      preferences: 1,
      tags: 1,
      consentEvents: 1,
      assignments: 1,
      reviewItems: 0,
      ordersKept: 2,
    });
    expect(counts.identifiers).toBeGreaterThanOrEqual(5);

    const text = everyText();
    for (const value of ANNA) expect(text, value).not.toContain(value);

    const settings = loadIdentitySettings(db);
    for (const q of ["anna.kowalski@example.com", annaCard, annaCard.toLowerCase(), "Anna Kowalski", "kowalski", "Kowalsky"]) {
      expect(lookupCustomer(db, settings, q).kind, q).toBe("none");
    }
    // The shared household phone still finds her partner, and only him.
    const byPhone = lookupCustomer(db, settings, "07412 345678");
    expect(byPhone.kind === "matches" && byPhone.candidates.map((c) => c.profileId)).toEqual([piotr]);
    expect(findProfileIdsByName(db, "Anna")).toEqual([]);
    const indexed = db.all<{ id: number }>(sql`select rowid as id from profile_search where profile_search match 'kowalski OR anna'`);
    expect(indexed).toEqual([]);

    // Sales still count: the orders stay on the anonymous profile and product figures do not move.
    expect(productStats()).toEqual(statsBefore);
    const after = db.select().from(profiles).where(eq(profiles.id, anna)).get()!;
    expect(after).toMatchObject({
      firstName: null,
      email: null,
      loyaltyId: null,
      lineage: null,
      orderCount: before.orderCount,
      lifetimeSpend: before.lifetimeSpend,
    });
    expect(
      db
        .select()
        .from(erasures)
        .all()
        .map((e) => e.profileId)
        .sort(),
    ).toEqual([anna, ...absorbed].sort());

    // The audit row says who, when, which profile and how much, and nothing about her.
    const audit = db.select().from(auditLog).where(eq(auditLog.action, "customer.erase")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ staffId, storeId: 1, profileId: anna, at: at(7, 1) });
    expect(audit[0].detail).toEqual(counts);

    expect(exportSubject(db, anna)).toMatchObject({ erased: { at: new Date(at(7, 1)).toISOString() }, notes: [], identifiers: [] });
    expect(() => eraseSubject(db, anna, { staffId, storeId: 1 })).toThrow(/already been erased/);
  });

  it("keeps her erased when a source sends her again", () => {
    const { anna } = seedAnna();
    eraseSubject(db, anna, { staffId, storeId: 1 });
    const ctx = createIngestContext(db);
    const again = (record: Parameters<typeof ingestCustomerRecord>[1]) => inTransaction(db, () => ingestCustomerRecord(ctx, record));
    // The same record re-sent changes nothing.
    expect(again({ source: "pos", sourceCustomerId: "P1", firstName: "Anna", lastName: "Kowalski", phone: "07412 345678" })).toMatchObject({
      status: "unchanged",
      profileId: anna,
    });
    // Another system still holding her email or card is refused, so she does not come back as someone new.
    expect(() => again({ source: "ecom", sourceCustomerId: "E9", firstName: "Anna", email: "ANNA.KOWALSKI@example.com" })).toThrow(/asked to be erased/);
    expect(() => again({ source: "loyalty", sourceCustomerId: "L9", loyaltyId: annaCard })).toThrow(/asked to be erased/);
    expect(everyText()).not.toContain("Kowalski");
    // Strangers still load.
    expect(again({ source: "ecom", sourceCustomerId: "E10", firstName: "Zofia", email: "zofia@example.com" }).status).toBe("inserted");
  });

  it("leaves an erased customer's records where they are in the nightly pass and at the end of a load", () => {
    const { anna } = seedAnna();
    eraseSubject(db, anna, { staffId, storeId: 1 });
    const held = () =>
      db.select({ id: sourceCustomers.id, profileId: sourceCustomers.profileId }).from(sourceCustomers).where(eq(sourceCustomers.profileId, anna)).all();
    const before = held();
    expect(before.length).toBeGreaterThan(1);
    // Her scrubbed records share nothing: the split check would find each its own group.
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 0, merged: 0 });
    const ctx = createIngestContext(db);
    ctx.joins.push(...before.map((r) => r.id));
    expect(settleJoins(ctx)).toEqual({ split: 0, queued: 0 });
    expect(held()).toEqual(before);
  });

  it("lets her be known again by the one detail head office allows, and only that one", () => {
    const { anna } = seedAnna();
    eraseSubject(db, anna, { staffId, storeId: 1 });
    const settings = loadIdentitySettings(db);
    const by = { staffId, storeId: 1 };
    expect(() => liftSuppression(db, "Anna Kowalski", settings, by)).toThrow(/not a name/);
    expect(liftSuppression(db, " Anna.Kowalski@Example.com", settings, by)).toEqual({ searched: "anna.kowalski@example.com", lifted: 1 });
    expect(liftSuppression(db, "anna.kowalski@example.com", settings, by).lifted).toBe(0);
    const ctx = createIngestContext(db);
    const again = (record: Parameters<typeof ingestCustomerRecord>[1]) => inTransaction(db, () => ingestCustomerRecord(ctx, record));
    // She re-joins online with her email: a new profile, nothing of the erased one.
    const back = again({ source: "ecom", sourceCustomerId: "E11", firstName: "Anna", email: "anna.kowalski@example.com" });
    expect(back).toMatchObject({ status: "inserted", createdProfile: true });
    expect(back.profileId).not.toBe(anna);
    expect(() => again({ source: "loyalty", sourceCustomerId: "L9", loyaltyId: annaCard })).toThrow(/asked to be erased/);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, "privacy.lift_suppression")).all();
    expect(audit.map((a) => a.detail)).toEqual([
      { kinds: ["email"], lifted: 1 },
      { kinds: ["email"], lifted: 0 },
    ]);
    expect(JSON.stringify(audit)).not.toContain("kowalski");
  });

  it("leaves none of her bytes in the database file or its WAL, nor in the audit log or the duplicate finder's keys", async () => {
    const { anna, absorbed } = seedAnna();
    // What else holds her: the duplicate finder's blocking keys, a follow-up, a till's lookup by her email.
    findPossibleDuplicates(db);
    db.insert(followUps)
      .values({
        storeId: 1,
        profileId: anna,
        staffId,
        title: "Ring about the Albion linen",
        dueOn: "2026-07-01",
        channel: "in_store",
        createdAt: 1,
        updatedAt: 1,
      })
      .run();
    const posId = db.select({ id: sources.id }).from(sources).where(eq(sources.name, "pos")).get()!.id;
    const { key } = createApiKey(db, { sourceId: posId, name: "Till", scope: "lookup", staffId });
    const lookup = (q: string) =>
      handleLookup(
        db,
        new Request(`http://test/api/v1/customers/lookup?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${key}` } }),
        AUDIT_KEY,
      );
    for (const q of ["anna.kowalski@example.com", annaCard]) expect((await lookup(q)).status).toBe(200);
    // Lookups are audited after the answer: their rows are in the log before the erasure runs.
    flushAuditSoon(db);
    const recordIds = db
      .select({ id: sourceCustomers.id })
      .from(sourceCustomers)
      .where(inArray(sourceCustomers.profileId, [anna, ...absorbed]))
      .all();
    expect(db.select().from(matchKeys).all().length).toBeGreaterThan(0);

    eraseSubject(db, anna, { staffId, storeId: 1 });
    checkpoint(db);

    expect(
      db
        .select()
        .from(matchKeys)
        .where(
          inArray(
            matchKeys.sourceRecordId,
            recordIds.map((r) => r.id),
          ),
        )
        .all(),
    ).toEqual([]);
    const raw = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    const hers = [...ANNA.filter((v) => v !== "Anna"), "anna.kowalski", "Ring about the Albion linen", "Anna likes linen", "Albion"];
    expect(hers.filter((v) => raw.includes(Buffer.from(v)) || raw.includes(Buffer.from(v.toLowerCase())))).toEqual([]);
    // The lookups stay accountable: a keyed hash of what was searched, never the value.
    const lookups = db.select().from(auditLog).where(eq(auditLog.action, "api.lookup")).all();
    expect(lookups).toHaveLength(2);
    expect(lookups[0].detail).toMatchObject({ searchedHash: searchedHash(AUDIT_KEY, "anna.kowalski@example.com") });
  });

  it("erases all or nothing", () => {
    const { anna } = seedAnna();
    // An unknown staff ID fails the last insert (foreign key): everything before it must roll back.
    expect(() => eraseSubject(db, anna, { staffId: 9999, storeId: 1 })).toThrow();
    expect(exportSubject(db, anna)).toMatchObject({ erased: null, profile: { firstName: "Anna" }, notes: [{ body: "Anna likes linen" }] });
    expect(lookupCustomer(db, loadIdentitySettings(db), annaCard).kind).toBe("matches");
  });
});
