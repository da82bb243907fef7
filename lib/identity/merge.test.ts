import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Db, inTransaction } from "@/db/client";
import { customerAssignments, followUps, mergeEvents, profiles, reviewQueue, staff, sourceCustomers } from "@/db/schema";
import { ingest, seedBasics } from "@/lib/test/factories";
import { DomainError } from "@/lib/errors";
import { DEFAULT_DUPLICATE_OPTIONS, findPossibleDuplicates, looseGroup } from "./duplicates";
import { createIngestContext } from "./ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { mergeHistory, mergeManually, previewMerge, recordGroups, recordJoins, splitChoices, splitRecords, unmerge } from "./merge";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "./normalize";
import { defaultModel, scoreProfiles } from "./match-model";
import { matchRecord } from "./match-record.fixture";
import { databaseEachTest } from "@/lib/test/each-test";
import { listReviewItems, overtakenByMerge, rejectReviewItem } from "./review";
import { eraseSubject } from "@/lib/privacy/subject";
import { importFile } from "./import";
import { keptApart } from "./queries";

const card = (n: number) => makeLoyaltyId(n, DEFAULT_IDENTITY_SETTINGS.loyalty);
let db: Db;

databaseEachTest((fresh) => seedBasics((db = fresh)));

/** Everything that says who owns what: profiles (golden fields, statistics, redirects), records, identifiers, orders, interactions. */
function digest(): string {
  const rows = (q: string) => JSON.stringify(db.$client.prepare(q).raw(true).all());
  return createHash("sha256")
    .update(
      rows(
        "select id, merged_into, first_name, last_name, email, phone, loyalty_id, birth_date, city, postcode, tier, lineage, lifetime_spend, order_count, last_purchase_at from profiles order by id",
      ),
    )
    .update(rows("select id, profile_id from source_customers order by id"))
    .update(rows("select id, type, value, profile_id, source_record_id from identifiers order by id"))
    .update(rows("select id, profile_id, source_record_id, total from orders order by id"))
    .update(rows("select id, profile_id, source_record_id from interactions order by id"))
    .digest("hex");
}

const order = (source: string, externalId: string, sourceCustomerId: string, price: number) => ({
  source,
  externalId,
  sourceCustomerId,
  channel: "store" as const,
  storeCode: "LDN",
  placedAt: Date.UTC(2026, 0, 10),
  lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: price }],
});

/** Anna known to the loyalty programme, and separately online (two accounts already linked by email). */
function twoAnnas() {
  const { customers } = ingest(
    db,
    [
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Anna", lastName: "Kowalski", loyaltyId: card(1), birthDate: "1985-03-02", city: "London" },
      {
        source: "ecom",
        sourceCustomerId: "E1",
        firstName: "Ana",
        lastName: "Kowalska",
        email: "anna.k@example.com",
        birthDate: "1985-03-02",
        postcode: "N1 9GU",
      },
      { source: "pos", sourceCustomerId: "P1", firstName: "Ana", lastName: "Kowalska", email: "anna.k@example.com", phone: "07412 345678" },
    ],
    [order("loyalty", "O1", "L1", 3900), order("ecom", "O2", "E1", 8900), order("pos", "O3", "P1", 3900)],
  );
  const ctx = createIngestContext(db);
  inTransaction(db, () =>
    ingestInteraction(ctx, { source: "ecom", externalId: "V1", sourceCustomerId: "E1", kind: "view", sku: "JK-1-M", at: Date.UTC(2026, 0, 9) }),
  );
  return { loyalty: customers[0].profileId, online: customers[1].profileId };
}

describe("the match model on a real SQLite file", () => {
  it("queues a near-certain pair below the automatic threshold at ingest, with its probability and weights, and merges nothing", () => {
    const { loyalty, online } = twoAnnas();
    expect(loyalty).not.toBe(online);
    const items = db.select().from(reviewQueue).all();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "possible_duplicate", profileA: loyalty, profileB: online, status: "open" });
    expect(items[0].score).toBeGreaterThan(0.5);
    expect(items[0].score).toBeLessThan(0.99);
    expect(items[0].reason).toMatch(/^\d+(\.\d)?% likely: born the same day, /);
    expect(items[0].evidence?.parts.map((p) => p.text)).toEqual(["first names close: Ana / Anna", "surnames close: Kowalska / Kowalski", "born the same day"]);
    // The nightly pass finds nothing new to do.
    const before = digest();
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0, queued: 0 });
    expect(digest()).toBe(before);
  });

  it("does not suggest a namesake born on another day", () => {
    ingest(db, [
      { source: "loyalty", sourceCustomerId: "L1", firstName: "John", lastName: "Smith", birthDate: "1970-01-01", postcode: "LS1 4AP" },
      { source: "ecom", sourceCustomerId: "E1", firstName: "John", lastName: "Smith", birthDate: "1992-11-23", postcode: "N1 9GU" },
    ]);
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0, queued: 0 });
    expect(db.select().from(reviewQueue).all()).toEqual([]);
  });

  it("never joins or suggests again a pair rejected as not the same person, even after one of them absorbs another profile", () => {
    const { loyalty, online } = twoAnnas();
    db.update(reviewQueue).set({ status: "rejected", decidedAt: Date.now() }).run();
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0, queued: 0 });
    // A third record, as likely to be either Anna: it joins neither, and a person is asked about each, never about the two again.
    const { customers } = ingest(db, [{ source: "pos", sourceCustomerId: "P9", firstName: "Anna", lastName: "Kowalska", birthDate: "1985-03-02" }]);
    const third = customers[0].profileId;
    expect(customers[0]).toMatchObject({ createdProfile: true, absorbedProfileIds: [] });
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0, queued: 0 });
    const open = db
      .select()
      .from(reviewQueue)
      .all()
      .filter((r) => r.status === "open");
    expect(open.map((r) => [r.profileA, r.profileB].sort((a, b) => a! - b!)).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [loyalty, third],
      [online, third],
    ]);
    expect(open.every((r) => r.reason.includes("another customer matches as well"))).toBe(true);
    expect(loyalty).toBeLessThan(online);

    // A person merges the third into the loyalty Anna. The item pairing the third with the online Anna
    // is overtaken: "not the same person" on it would bind a customer its reviewer was never shown.
    mergeManually(db, loyalty, third, { staffId: null, cause: "reviewed" });
    const stale = open.find((r) => r.profileA === online || r.profileB === online)!;
    expect(overtakenByMerge(db, stale)).toEqual({ absorbed: third, into: loyalty });
    expect(
      overtakenByMerge(
        db,
        open.find((r) => r !== stale)!,
      ),
    ).toEqual({ absorbed: third, into: loyalty });
    expect(() => rejectReviewItem(db, stale.id, 1)).toThrow(`Customer ${third} was merged into customer ${loyalty} after this pair was queued.`);
    expect(db.select({ status: reviewQueue.status }).from(reviewQueue).where(eq(reviewQueue.id, stale.id)).get()?.status).toBe("open");
  });

  it("joins a record to the profile the model is sure of, merges two it bridges, and the merge event carries the weights", () => {
    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "P2", firstName: "Piotr", lastName: "Kowalski", birthDate: "1979-08-14", city: "London" },
      { source: "ecom", sourceCustomerId: "E7", firstName: "Piotr", lastName: "Kowalsky", email: "pk@example.com" },
    ]);
    expect(customers[1].profileId).not.toBe(customers[0].profileId);
    const { customers: later } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "L7", firstName: "Piotr", lastName: "Kowalsky", birthDate: "1979-08-14", city: "London", email: "pk@example.com" },
    ]);
    expect(later[0]).toMatchObject({ profileId: customers[0].profileId, absorbedProfileIds: [customers[1].profileId] });
    const event = db.select().from(mergeEvents).all().at(-1)!;
    expect(event.cause).toMatch(/^match model via loyalty record L7 \(/);
    expect(event.evidence?.probability).toBeGreaterThanOrEqual(0.99);
    expect(event.evidence?.parts.map((p) => p.text)).toEqual(["same first name: Piotr", "same surname: Kowalsky", "same email"]);
    expect(mergeHistory(db, customers[0].profileId)[0]).toMatchObject({ absorbedId: customers[1].profileId, undoable: true });
  });

  it("keeps the weights of a record that joins an existing profile, and lists it in the profile's history", () => {
    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "P3", firstName: "Piotr", lastName: "Kowalski", birthDate: "1979-08-14", email: "pk@example.com" },
    ]);
    const { customers: later } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E8", firstName: "Piotr", lastName: "Kowalsky", birthDate: "1979-08-14", email: "pk@example.com" },
      { source: "loyalty", sourceCustomerId: "L8", firstName: "Maria", lastName: "Nowak", email: "maria@example.com" },
    ]);
    expect(later[0]).toMatchObject({ profileId: customers[0].profileId, createdProfile: false, absorbedProfileIds: [] });
    expect(db.select().from(mergeEvents).all()).toEqual([]);
    const joins = recordJoins(db, customers[0].profileId);
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ sourceCustomerId: "E8" });
    expect(joins[0].evidence.probability).toBeGreaterThanOrEqual(0.99);
    expect(joins[0].evidence.parts.map((p) => p.text)).toEqual([
      "same first name: Piotr",
      "surnames close: Kowalsky / Kowalski",
      "born the same day",
      "same email",
    ]);
    // A record that started its own profile, and the first record of a profile, joined nothing.
    expect(recordJoins(db, later[1].profileId)).toEqual([]);
  });
});

describe("manual merge, dry run and unmerge", () => {
  it("dry run reports the changes with their sources, contact details masked, and writes nothing", () => {
    const { loyalty, online } = twoAnnas();
    // A return is no order to count, as the profile counts them.
    ingest(db, [], [{ ...order("ecom", "R2", "E1", 8900), lines: [{ sku: "LT-1-M", quantity: -1, unitPrice: 8900 }] }]);
    const before = digest();
    const events = db.select().from(mergeEvents).all().length;
    const preview = previewMerge(db, online, loyalty);
    expect(digest()).toBe(before);
    expect(db.select().from(mergeEvents).all()).toHaveLength(events);
    expect(preview).toMatchObject({
      survivorId: loyalty,
      absorbedId: online,
      records: { survivor: 1, absorbed: 2 },
      identifiers: { survivor: 1, absorbed: 3 },
      orders: { survivor: 1, absorbed: 2 },
      interactions: { survivor: 0, absorbed: 1 },
    });
    const changed = Object.fromEntries(preview.changes.map((c) => [c.field, [c.before.value, c.after.value, c.after.lineage?.source]]));
    expect(changed).toEqual({
      email: [null, "a•••@example.com", "Online shop"],
      phone: [null, "•••• 5678", "Store till"],
      postcode: [null, "N1 9GU", "Online shop"],
    });
  });

  it("merges into the older profile, leaves a redirect, and the unmerge restores both parts exactly", () => {
    const { loyalty, online } = twoAnnas();
    findPossibleDuplicates(db);
    const before = digest();
    const merged = mergeManually(db, online, loyalty, { staffId: null, cause: "possible duplicate reviewed" });
    expect(merged).toMatchObject({ survivorId: loyalty, absorbedId: online });
    const survivor = db
      .select()
      .from(profiles)
      .all()
      .find((p) => p.id === loyalty)!;
    expect(survivor).toMatchObject({ email: "anna.k@example.com", orderCount: 3, lifetimeSpend: 3900 * 2 + 8900 });
    expect(
      db
        .select()
        .from(profiles)
        .all()
        .find((p) => p.id === online)!.mergedInto,
    ).toBe(loyalty);
    expect(
      db
        .select()
        .from(reviewQueue)
        .all()
        .map((r) => r.status),
    ).toEqual(["merged"]);
    expect(digest()).not.toBe(before);

    const history = mergeHistory(db, loyalty);
    expect(history[0]).toMatchObject({ kind: "merge", absorbedId: online, cause: "possible duplicate reviewed", undoable: true });
    const undone = unmerge(db, history[0].id, { staffId: null, cause: "not the same person" });
    expect(undone).toMatchObject({ survivorId: loyalty, restoredId: online, records: 2 });
    expect(digest()).toBe(before);
    expect(mergeHistory(db, loyalty).map((e) => [e.kind, e.undoable])).toEqual([
      ["unmerge", false],
      ["merge", false],
    ]);
    expect(() => unmerge(db, history[0].id, { staffId: null, cause: "again" })).toThrow(DomainError);
    // Remembered: the pair is not suggested again.
    expect(findPossibleDuplicates(db).queued).toBe(0);
  });

  it("keeps on a staff merge the evidence it was decided on: the review item's, else the model's on the two as they are", () => {
    const { loyalty, online } = twoAnnas();
    const item = db.select().from(reviewQueue).get()!;
    mergeManually(db, loyalty, online, { staffId: null, cause: `review item ${item.id}: merged by staff`, evidence: item.evidence });
    expect(mergeHistory(db, loyalty)[0].evidence).toEqual(item.evidence);

    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "P9", firstName: "Ann", lastName: "Kowalski", phone: "07700 900123", city: "London" },
    ]);
    const other = customers[0].profileId;
    mergeManually(db, other, loyalty, { staffId: null, cause: "merged by staff" });
    const evidence = mergeHistory(db, loyalty)[0].evidence!;
    expect(evidence.parts.map((p) => p.text)).toContain("same city: London");
    expect(evidence.probability).toBeGreaterThan(0);
    expect(evidence.probability).toBeLessThan(0.5);
  });

  it("unmerges an automatic merge, giving back a profile that had itself absorbed another", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", firstName: "Mia", lastName: "Wong", email: "mia@example.com" },
      { source: "pos", sourceCustomerId: "P1", firstName: "Mia", lastName: "Wong", phone: "07911 123456" },
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Mia", lastName: "Wong", loyaltyId: card(5) },
    ]);
    const [e, p, l] = customers.map((c) => c.profileId);
    const bridge = (sourceCustomerId: string, fields: object) =>
      // Web accounts: a second till account on P1's phone would be the till's word that it is someone else.
      ingest(db, [{ source: "ecom", sourceCustomerId, firstName: "Mia", lastName: "Wong", ...fields }]);
    bridge("W2", { phone: "07911123456", loyaltyId: card(5) }); // folds l into p
    const before = digest();
    bridge("W3", { email: "mia@example.com", loyaltyId: card(5) }); // folds p (holding l) into e
    const event = mergeHistory(db, e).find((h) => h.absorbedId === p)!;
    expect(
      db
        .select()
        .from(profiles)
        .all()
        .find((x) => x.id === l)!.mergedInto,
    ).toBe(e);
    unmerge(db, event.id, { staffId: null, cause: "test" });
    // W3 stays with the survivor (it came after), so compare the parts: p is back with l redirecting to it.
    const state = new Map(
      db
        .select()
        .from(profiles)
        .all()
        .map((x) => [x.id, x.mergedInto]),
    );
    expect([state.get(e), state.get(p), state.get(l)]).toEqual([null, null, p]);
    expect(before).not.toBe(digest());
  });

  it("an unmerged pair stays apart when their records are sent again or a new record shares their identifier", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", firstName: "Jo", lastName: "Reid", email: "family@example.com" },
      { source: "pos", sourceCustomerId: "P1", firstName: "Jo", lastName: "Reid", phone: "07911 123456" },
    ]);
    const [mum, son] = customers.map((c) => c.profileId);
    ingest(db, [{ source: "pos", sourceCustomerId: "P1", firstName: "Jo", lastName: "Reid", phone: "07911 123456", email: "family@example.com" }]);
    const event = mergeHistory(db, mum).find((h) => h.absorbedId === son)!;
    unmerge(db, event.id, { staffId: null, cause: "mother and son" });
    const live = () =>
      db
        .select()
        .from(profiles)
        .all()
        .filter((x) => x.mergedInto === null)
        .map((x) => x.id);
    expect(live()).toEqual([mum, son]);

    // The son's till record comes again, changed, still with the family email: he stays himself.
    const resent = ingest(db, [
      { source: "pos", sourceCustomerId: "P1", firstName: "Joe", lastName: "Reid", phone: "07911 123456", email: "family@example.com" },
    ]);
    expect(resent.customers[0]).toMatchObject({ status: "updated", profileId: son, absorbedProfileIds: [] });
    // A new record with the shared email could be either of them: it joins neither, merges nothing, and a person is asked about each.
    const third = ingest(db, [{ source: "loyalty", sourceCustomerId: "L9", firstName: "Jo", lastName: "Reid", email: "family@example.com" }]);
    const card = third.customers[0].profileId;
    expect(third.customers[0]).toMatchObject({ createdProfile: true, absorbedProfileIds: [] });
    expect(live()).toEqual([mum, son, card]);
    const asked = db
      .select()
      .from(reviewQueue)
      .all()
      .filter((r) => r.status === "open")
      .map((r) => [r.profileA, r.profileB].sort((a, b) => a! - b!))
      .sort((a, b) => a[0]! - b[0]!);
    expect(asked).toEqual([
      [mum, card],
      [son, card],
    ]);
    // Without the unmerge the same re-send would have folded them together again.
    expect(
      db
        .select()
        .from(mergeEvents)
        .all()
        .map((e) => e.kind),
    ).toEqual(["merge", "unmerge"]);
  });

  it("a merge carries the absorbed customer's client-book places and follow-ups to the survivor", () => {
    const { loyalty, online } = twoAnnas();
    const [sam, kim] = ["sam", "kim"].map(
      (name) =>
        db
          .insert(staff)
          .values({ email: `${name}@example.com`, name, role: "associate", homeStoreId: 1, passwordHash: "x" })
          .returning({ id: staff.id })
          .get().id,
    );
    const at = Date.UTC(2026, 0, 5);
    db.insert(customerAssignments)
      .values([
        { storeId: 1, profileId: loyalty, staffId: sam, assignedAt: at },
        { storeId: 1, profileId: online, staffId: kim, assignedAt: at },
        { storeId: 2, profileId: online, staffId: kim, assignedAt: at },
      ])
      .run();
    db.insert(followUps)
      .values({ storeId: 1, profileId: online, staffId: kim, title: "New arrivals", dueOn: "2026-01-20", channel: "email", createdAt: at, updatedAt: at })
      .run();
    const { survivorId } = mergeManually(db, loyalty, online, { staffId: null, cause: "same person" });
    expect(survivorId).toBe(loyalty);
    // Store 1 keeps the survivor's own associate; store 2 had only the absorbed profile's.
    expect(
      db
        .select()
        .from(customerAssignments)
        .orderBy(customerAssignments.storeId)
        .all()
        .map((a) => [a.storeId, a.profileId, a.staffId]),
    ).toEqual([
      [1, loyalty, sam],
      [2, loyalty, kim],
    ]);
    expect(db.select({ profileId: followUps.profileId }).from(followUps).all()).toEqual([{ profileId: loyalty }]);
  });

  it("refuses to merge a profile with itself or one already merged away", () => {
    const { loyalty, online } = twoAnnas();
    expect(() => mergeManually(db, loyalty, loyalty, { staffId: null, cause: "x" })).toThrow(/itself/);
    mergeManually(db, loyalty, online, { staffId: null, cause: "x" });
    expect(() => previewMerge(db, loyalty, online)).toThrow(/already merged/);
  });
});

describe("a person's decision holds after either side is merged into another customer", () => {
  const rosalind = { firstName: "Rosalind", lastName: "Thackeray" };
  const live = () => db.$client.prepare("select id from profiles where merged_into is null order by id").pluck().all();

  /** Rosalind online and at the till, split apart by a person; the till one then joins the loyalty Rosalind through a record with her card and phone. */
  function splitThenAbsorbed() {
    const { customers } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "K-O", ...rosalind, loyaltyId: card(13) },
      { source: "ecom", sourceCustomerId: "K-A", ...rosalind, email: "ros.thack@example.com", postcode: "LS6 2AB", city: "Leeds" },
      { source: "pos", sourceCustomerId: "K-B", ...rosalind, phone: "07825 316492", postcode: "LS6 2AB", city: "Leeds" },
    ]);
    const [older, online, till] = customers;
    expect(till.profileId).toBe(online.profileId);
    const split = splitRecords(db, online.profileId, [till.sourceRecordId], { staffId: null, cause: "two Rosalinds" });
    // A card sign-up with the till record's phone and the loyalty card: the split-off customer joins the loyalty one.
    const app = ingest(db, [{ source: "ecom", sourceCustomerId: "K-X", ...rosalind, loyaltyId: card(13), phone: "07825 316492" }]).customers[0];
    expect(app.profileId).toBe(older.profileId);
    expect(db.select().from(profiles).where(eq(profiles.id, split.newProfileId)).get()?.mergedInto).toBe(older.profileId);
    return { older, online };
  }

  it("a split stays split when the split-off customer is merged into a third and the nightly pass runs", () => {
    const { older, online } = splitThenAbsorbed();
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0, queued: 0 });
    expect(live()).toEqual([older.profileId, online.profileId]);
    // Nor does a record with the online customer's email and the loyalty card bring them together: it joins neither.
    const again = ingest(db, [{ source: "ecom", sourceCustomerId: "K-A2", ...rosalind, email: "ros.thack@example.com", loyaltyId: card(13) }]).customers[0];
    expect(again).toMatchObject({ createdProfile: true, absorbedProfileIds: [] });
    expect(live()).toEqual([older.profileId, online.profileId, again.profileId]);
  });

  it("a split stays split through a bulk import, which reads the decisions from the store", async () => {
    const { older, online } = splitThenAbsorbed();
    const file = path.join(os.tmpdir(), `clientele-kept-apart-${process.pid}.csv`);
    fs.writeFileSync(file, "sourceCustomerId,firstName,lastName,email,phone\nK-A3,Rosalind,Thackeray,ros.thack@example.com,07825 316492\n");
    try {
      const summary = await importFile(db, { source: "loyalty", file, kind: "customers", path: "bulk" });
      expect(summary).toMatchObject({ inserted: 1, merges: 0, path: { taken: "bulk" } });
    } finally {
      fs.rmSync(file, { force: true });
    }
    expect(live()).toEqual(expect.arrayContaining([older.profileId, online.profileId]));
  });

  it("an unmerge holds when its survivor had been merged into a third before it was undone", () => {
    const edmund = { firstName: "Edmund", lastName: "Quill" };
    const { customers } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "Q-O", ...edmund, loyaltyId: card(21) },
      { source: "ecom", sourceCustomerId: "Q-A", ...edmund, email: "edmund.quill@example.com", city: "Bath" },
      { source: "pos", sourceCustomerId: "Q-B", ...edmund, phone: "07825 316701", city: "Bath" },
    ]);
    const [card21, online, till] = customers.map((c) => c.profileId);
    expect(new Set([card21, online, till]).size).toBe(3);
    // One record bridges the online and till customers; another then the loyalty and online ones.
    ingest(db, [{ source: "loyalty", sourceCustomerId: "Q-R1", ...edmund, email: "edmund.quill@example.com", phone: "07825 316701" }]);
    ingest(db, [{ source: "ecom", sourceCustomerId: "Q-R2", ...edmund, loyaltyId: card(21), email: "edmund.quill@example.com" }]);
    expect(live()).toEqual([card21]);
    const first = db
      .select()
      .from(mergeEvents)
      .all()
      .find((e) => e.absorbedId === till)!;
    expect(first.survivorId).toBe(online);
    // The merge is undone from the customer who holds its records now: its survivor has been merged into them since.
    expect(mergeHistory(db, card21).map((h) => [h.survivorId, h.absorbedId, h.undoable])).toEqual([
      [card21, online, true],
      [online, till, true],
    ]);
    unmerge(db, first.id, { staffId: null, cause: "two Edmunds" });
    expect(live()).toEqual([card21, till]);

    const phone = ingest(db, [{ source: "ecom", sourceCustomerId: "Q-N", ...edmund, phone: "07825 316701", loyaltyId: card(21) }]).customers[0];
    expect(phone.absorbedProfileIds).toEqual([]);
    expect(live()).toEqual([card21, till]);
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 0 });
    expect(live()).toEqual([card21, till]);
  });

  it("an unmerge decides the pair's review item that a merge had hidden: it is not offered again", () => {
    const cordelia = { firstName: "Cordelia", lastName: "Fairweather" };
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "M-A", ...cordelia, email: "cordelia@example.com", city: "Leeds" },
      { source: "loyalty", sourceCustomerId: "M-B", ...cordelia, phone: "07825 316800", city: "Leeds" },
    ]);
    const [online, till] = customers.map((c) => c.profileId);
    const queued = db.select().from(reviewQueue).all();
    expect(queued.map((r) => [r.status, r.profileA, r.profileB])).toEqual([["open", online, till]]);
    ingest(db, [{ source: "pos", sourceCustomerId: "M-R", ...cordelia, email: "cordelia@example.com", phone: "07825 316800" }]);
    const merge = db
      .select()
      .from(mergeEvents)
      .all()
      .find((e) => e.absorbedId === till)!;
    unmerge(db, merge.id, { staffId: null, cause: "two Cordelias" });
    expect(db.select().from(reviewQueue).where(eq(reviewQueue.id, queued[0].id)).get()?.status).toBe("rejected");
    expect(
      db
        .select()
        .from(reviewQueue)
        .all()
        .filter((r) => r.status === "open"),
    ).toEqual([]);
  });

  it("the nightly pass keeps apart two customers a person kept apart when a third it merges first holds one of them", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "A", firstName: "Ophelia", lastName: "Aaa", email: "a1@example.com" },
      { source: "pos", sourceCustomerId: "B", firstName: "Bertram", lastName: "Bbb", phone: "07825 316111" },
      { source: "loyalty", sourceCustomerId: "C", firstName: "Cuthbert", lastName: "Ccc", email: "c3@example.com" },
    ]);
    const [a, b, c] = customers.map((x) => x.profileId);
    // The three records become one person's to the model (as a source correcting them might), and a person says B is not C.
    db.$client
      .prepare(
        "update source_customers set first_name = 'Ophelia', last_name = 'Quenby', email = 'ophelia.q@example.com', phone = '07825 316222', birth_date = '1980-04-05', postcode = 'LS6 2AB', city = 'Leeds'",
      )
      .run();
    db.$client.prepare("update source_customers set email = 'oq.other@example.com', phone = null where source_customer_id = 'C'").run();
    db.insert(reviewQueue)
      .values({ kind: "possible_duplicate", profileA: b, profileB: c, reason: "reviewed", status: "rejected", createdAt: 1, decidedAt: 1 })
      .run();
    expect(findPossibleDuplicates(db).merged).toBe(1);
    const holder = (p: number) => db.$client.prepare("select coalesce(merged_into, id) from profiles where id = ?").pluck().get(p);
    expect(holder(b)).not.toBe(holder(c));
    expect([holder(b), holder(c)]).toContain(a);
  });

  it("an unmerge done from the customer who absorbed its survivor since decides the pair's queued item with them", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "H", firstName: "Hal", lastName: "One", email: "h@example.com" },
      { source: "pos", sourceCustomerId: "X", firstName: "Xan", lastName: "Two", phone: "07825 316333" },
      { source: "loyalty", sourceCustomerId: "R", firstName: "Rae", lastName: "Three", email: "r@example.com" },
    ]);
    const [h, x, r] = customers.map((y) => y.profileId);
    db.insert(reviewQueue).values({ kind: "possible_duplicate", profileA: h, profileB: r, reason: "queued", status: "open", createdAt: 1 }).run();
    const first = mergeManually(db, x, r, { staffId: null, cause: "test" });
    mergeManually(db, h, x, { staffId: null, cause: "test" });
    const result = unmerge(db, first.mergeEventId, { staffId: null, cause: "not the same" });
    expect(result).toMatchObject({ survivorId: x, holderId: h, restoredId: r });
    expect(live()).toEqual([h, r]);
    expect(listReviewItems(db, null)).toEqual([]);
  });

  it("an unmerge gives back the customers its absorbed one had absorbed two merges deep, and their decisions with them", () => {
    const people = ["Hal", "Rae", "Sam", "Quin", "Zed"].map((firstName, i) => ({
      source: i % 2 ? "pos" : "ecom",
      sourceCustomerId: firstName,
      firstName,
      lastName: "Test",
      ...(i % 2 ? { phone: `07825 31655${i}` } : { email: `${firstName.toLowerCase()}@example.com` }),
    }));
    const [h, r, s, q, z] = ingest(db, people).customers.map((c) => c.profileId);
    db.insert(reviewQueue)
      .values({ kind: "possible_duplicate", profileA: q, profileB: z, reason: "reviewed", status: "rejected", createdAt: 1, decidedAt: 1 })
      .run();
    mergeManually(db, s, q, { staffId: null, cause: "test" });
    mergeManually(db, r, s, { staffId: null, cause: "test" });
    const last = mergeManually(db, h, r, { staffId: null, cause: "test" });
    unmerge(db, last.mergeEventId, { staffId: null, cause: "not the same" });
    const mergedInto = (p: number) => db.select().from(profiles).where(eq(profiles.id, p)).get()?.mergedInto;
    expect([mergedInto(s), mergedInto(q)]).toEqual([r, r]);
    expect(keptApart(db, r, z)).toBe(true);
    expect(keptApart(db, h, z)).toBe(false);
  });

  it("a split that takes every record of a customer merged in two merges deep redirects that customer to the new one", () => {
    const people = ["Pat", "Sam", "Quin"].map((firstName, i) => ({
      source: i % 2 ? "pos" : "ecom",
      sourceCustomerId: firstName,
      firstName,
      lastName: "Test",
      ...(i % 2 ? { phone: `07825 31656${i}` } : { email: `${firstName.toLowerCase()}@example.com` }),
    }));
    const { customers } = ingest(db, people);
    const [p, s, q] = customers.map((c) => c.profileId);
    mergeManually(db, s, q, { staffId: null, cause: "test" });
    mergeManually(db, p, s, { staffId: null, cause: "test" });
    const split = splitRecords(db, p, [customers[2].sourceRecordId], { staffId: null, cause: "Quin is not Pat" });
    expect(db.select().from(profiles).where(eq(profiles.id, q)).get()?.mergedInto).toBe(split.newProfileId);
  });

  it("refuses to merge a customer into an erased one, or an erased one into a customer, and writes nothing", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", firstName: "Vera", lastName: "Stone", email: "vera@example.com" },
      { source: "pos", sourceCustomerId: "P1", firstName: "Boris", lastName: "Kane", phone: "07825 316900" },
    ]);
    const [vera, boris] = customers.map((c) => c.profileId);
    const hq = db.insert(staff).values({ email: "hq@example.com", name: "HQ", role: "hq", passwordHash: "x" }).returning({ id: staff.id }).get().id;
    eraseSubject(db, vera, { staffId: hq, storeId: null });
    const before = digest();
    for (const [a, b] of [
      [vera, boris],
      [boris, vera],
    ]) {
      expect(() => mergeManually(db, a, b, { staffId: null, cause: "test" })).toThrow(`Customer ${vera} was erased.`);
      expect(() => previewMerge(db, a, b)).toThrow(`Customer ${vera} was erased.`);
    }
    expect(digest()).toBe(before);
  });
});

describe("the review queue as staff see it", () => {
  it("shows a manager only the items involving customers of their store, and head office all", async () => {
    const { listReviewItems, canReviewPair, rejectReviewItem } = await import("./review");
    const { loyalty, online } = twoAnnas(); // her orders are all at the London store (id 1)
    findPossibleDuplicates(db);
    expect(listReviewItems(db, null).map((i) => [i.a.id, i.b?.id, i.kind])).toEqual([[loyalty, online, "possible_duplicate"]]);
    expect(listReviewItems(db, 1)).toHaveLength(1);
    expect(listReviewItems(db, 2)).toEqual([]);
    expect([canReviewPair(db, 1, [loyalty, online]), canReviewPair(db, 2, [loyalty, online]), canReviewPair(db, null, [online])]).toEqual([true, false, true]);
    const manager = db.insert(staff).values({ email: "m@example.com", name: "M", role: "manager", homeStoreId: 1, passwordHash: "x" }).returning().get();
    rejectReviewItem(db, listReviewItems(db, null)[0].id, manager.id);
    expect(listReviewItems(db, null)).toEqual([]);
  });
});

describe("thresholds' dry run", () => {
  it("counts the merges and review items a change would make on today's store, and writes nothing", async () => {
    const { previewMatchThresholds, saveMatchThresholds } = await import("@/lib/hq/identity");
    twoAnnas();
    const before = digest();
    const items = db.select().from(reviewQueue).all().length;
    // The Annas score between 0.5 and 0.99: a lower automatic threshold would merge them.
    expect(previewMatchThresholds(db, { automatic: 0.95, review: 0.5 })).toMatchObject({ merges: 1, reviewItems: 0 });
    expect(previewMatchThresholds(db, { automatic: 0.99, review: 0.5 })).toMatchObject({ merges: 0, reviewItems: 0 });
    expect(digest()).toBe(before);
    expect(db.select().from(reviewQueue).all()).toHaveLength(items);
    saveMatchThresholds(db, { automatic: 0.95, review: 0.5 });
    expect(findPossibleDuplicates(db)).toMatchObject({ merged: 1 });
  });

  it("sends a store too large to count in the app to the command line's dry run, with the thresholds asked about", async () => {
    const { previewMatchThresholds } = await import("@/lib/hq/identity");
    twoAnnas();
    const records = db.select().from(sourceCustomers).all().length;
    expect(() => previewMatchThresholds(db, { automatic: 0.95, review: 0.5 }, records - 1)).toThrow(
      `This store holds ${records} customer records, too many to count here without slowing the tablets. On the server run: npm run identity:duplicates -- --dry-run --automatic 0.95 --review 0.5`,
    );
    expect(previewMatchThresholds(db, { automatic: 0.95, review: 0.5 }, records)).toMatchObject({ merges: 1 });
  });
});

describe("splitting records off a profile", () => {
  /**
   * Two Piotr Kowalskis born the same day at one postcode: the second one's web account joins the
   * first one's profile (nothing on it says otherwise), and his loyalty card follows it on his phone.
   */
  function namesakes() {
    const { customers } = ingest(
      db,
      [
        {
          source: "pos",
          sourceCustomerId: "P1",
          firstName: "Piotr",
          lastName: "Kowalski",
          birthDate: "1979-08-14",
          email: "pk@example.com",
          postcode: "N1 9GU",
        },
        {
          source: "ecom",
          sourceCustomerId: "E2",
          firstName: "Piotr",
          lastName: "Kowalski",
          birthDate: "1979-08-14",
          postcode: "N1 9GU",
          phone: "07412 345678",
        },
        { source: "loyalty", sourceCustomerId: "L2", firstName: "Piotr", lastName: "Kowalski", phone: "07412 345678", loyaltyId: card(2) },
      ],
      [order("pos", "O1", "P1", 3900), order("ecom", "O2", "E2", 8900), order("loyalty", "O3", "L2", 1500)],
    );
    const recordId = (key: string) =>
      db
        .select()
        .from(sourceCustomers)
        .all()
        .find((r) => r.sourceCustomerId === key)!.id;
    return { profileId: customers[0].profileId, joined: customers.map((c) => c.profileId), p1: recordId("P1"), e2: recordId("E2"), l2: recordId("L2") };
  }

  it("groups records by shared identifiers, through one another", () => {
    const groups = recordGroups(
      [3, 5, 7, 9, 11],
      [
        { recordId: 5, type: "phone", value: "+1" },
        { recordId: 3, type: "email", value: "a@x" },
        { recordId: 7, type: "phone", value: "+1" },
        { recordId: 7, type: "loyalty", value: "L" },
        { recordId: 9, type: "loyalty", value: "L" },
      ],
    );
    expect(Object.fromEntries(groups)).toEqual({ 3: 3, 5: 5, 7: 5, 9: 5, 11: 11 });
  });

  it("moves the chosen records with their identifiers and orders to a new customer, who is kept apart from now on", () => {
    const { profileId, joined, p1, e2, l2 } = namesakes();
    // The model joined all three: that is the mistake being undone.
    expect(joined).toEqual([profileId, profileId, profileId]);
    expect(recordJoins(db, profileId).map((j) => j.sourceCustomerId)).toEqual(["L2", "E2"]);
    expect(splitChoices(db, profileId).map((r) => [r.sourceCustomerId, r.group])).toEqual([
      ["L2", e2],
      ["E2", e2],
      ["P1", p1],
    ]);

    const result = splitRecords(db, profileId, [e2, l2], { staffId: null, cause: "two Piotrs" }, Date.UTC(2026, 1, 1));
    expect(result).toMatchObject({ profileId, records: 2 });
    const fresh = result.newProfileId;
    const owner = (table: "source_customers" | "identifiers" | "orders", key: string) =>
      db.$client.prepare(`select distinct ${key} as k, profile_id as p from ${table} order by k`).all();
    expect(owner("source_customers", "source_customer_id")).toEqual([
      { k: "E2", p: fresh },
      { k: "L2", p: fresh },
      { k: "P1", p: profileId },
    ]);
    expect(owner("identifiers", "type || ':' || value")).toEqual([
      { k: "email:pk@example.com", p: profileId },
      { k: `loyalty:${card(2)}`, p: fresh },
      { k: "phone:+447412345678", p: fresh },
    ]);
    expect(owner("orders", "external_id")).toEqual([
      { k: "O1", p: profileId },
      { k: "O2", p: fresh },
      { k: "O3", p: fresh },
    ]);
    const row = (id: number) =>
      db
        .select()
        .from(profiles)
        .all()
        .find((p) => p.id === id)!;
    expect(row(profileId)).toMatchObject({ email: "pk@example.com", phone: null, loyaltyId: null, lifetimeSpend: 3900, orderCount: 1, mergedInto: null });
    expect(row(fresh)).toMatchObject({ email: null, phone: "+447412345678", loyaltyId: card(2), lifetimeSpend: 10400, orderCount: 2, mergedInto: null });

    // The history says what happened on both sides, with why the first of them had joined; the moved records no longer claim to have joined.
    expect(mergeHistory(db, profileId)[0]).toMatchObject({ kind: "split", survivorId: profileId, absorbedId: fresh, cause: "two Piotrs", undoable: false });
    expect(mergeHistory(db, profileId)[0].evidence?.parts.length).toBeGreaterThan(0);
    expect(mergeHistory(db, fresh).map((e) => e.kind)).toEqual(["split"]);
    expect(recordJoins(db, profileId)).toEqual([]);
    expect(recordJoins(db, fresh)).toEqual([]);

    // Kept apart: his web account sent again still joins him, not the other Piotr, and nothing is queued between them.
    const again = ingest(db, [
      { source: "ecom", sourceCustomerId: "E2", firstName: "Piotr", lastName: "Kowalski", birthDate: "1979-08-14", postcode: "N1 9GU", phone: "07412 345679" },
    ]);
    expect(again.customers[0]).toMatchObject({ status: "updated", profileId: fresh, absorbedProfileIds: [] });
    // His web account's number changed by a digit: the card that held on by the old number alone is
    // split off and put to a person beside him, and nothing is queued between the two Piotrs.
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 1, queued: 1 });
    const placed = Object.fromEntries(owner("source_customers", "source_customer_id").map((r) => [(r as { k: string }).k, (r as { p: number }).p]));
    const cardHolder = placed.L2;
    expect(placed).toEqual({ P1: profileId, E2: fresh, L2: cardHolder });
    expect([profileId, fresh]).not.toContain(cardHolder);
    const open = db
      .select()
      .from(reviewQueue)
      .all()
      .filter((i) => i.status === "open");
    expect(open.map((i) => [i.profileA, i.profileB])).toEqual([[fresh, cardHolder]]);
    expect(open[0].evidence?.parts.map((p) => p.text)).toContain("mobile numbers one digit apart");
  });

  it("refuses a split that would move nothing, everything, or another customer's record, and writes nothing", () => {
    const { profileId, p1, e2, l2 } = namesakes();
    const other = ingest(db, [{ source: "pos", sourceCustomerId: "X1", firstName: "Maria", lastName: "Nowak", email: "maria@example.com" }]).customers[0];
    const before = digest();
    const actor = { staffId: null, cause: "test" };
    const refused = (ids: number[], pattern: RegExp) => {
      expect(() => splitRecords(db, profileId, ids, actor)).toThrow(pattern);
      expect(digest()).toBe(before);
    };
    refused([], /Choose the records/);
    refused([p1, e2, l2], /At least one record must stay/);
    refused([e2, other.sourceRecordId], /is not one of customer/);
    // A stale page: it showed a record that has since left, or missed one that has since joined.
    expect(() => splitRecords(db, profileId, [e2], actor, Date.now(), { shown: [p1, e2] })).toThrow(/have changed since this page loaded/);
    expect(() => splitRecords(db, profileId, [e2], actor, Date.now(), { shown: [p1, e2, l2, other.sourceRecordId] })).toThrow(/have changed/);
    expect(digest()).toBe(before);
    expect(() => splitRecords(db, 999_999, [e2], actor)).toThrow(DomainError);
    expect(db.select().from(mergeEvents).all()).toEqual([]);
    expect(splitRecords(db, profileId, [e2, l2], actor, Date.now(), { shown: [l2, p1, e2] }).records).toBe(2);
  });

  it("an unmerge after a split gives back only the records still with the survivor", () => {
    const { loyalty, online } = twoAnnas();
    const { mergeEventId } = mergeManually(db, loyalty, online, { staffId: null, cause: "reviewed" });
    const key = (k: string) =>
      db
        .select()
        .from(sourceCustomers)
        .all()
        .find((r) => r.sourceCustomerId === k)!.id;
    const { newProfileId } = splitRecords(db, loyalty, [key("P1")], { staffId: null, cause: "till record is her sister's" });
    const undone = unmerge(db, mergeEventId, { staffId: null, cause: "not her" });
    expect(undone).toMatchObject({ restoredId: online, records: 1 });
    const owner = Object.fromEntries(
      db
        .select()
        .from(sourceCustomers)
        .all()
        .map((r) => [r.sourceCustomerId, r.profileId]),
    );
    expect(owner).toEqual({ L1: loyalty, E1: online, P1: newProfileId });
    expect(db.$client.prepare("select external_id as o, profile_id as p from orders order by o").all()).toEqual([
      { o: "O1", p: loyalty },
      { o: "O2", p: online },
      { o: "O3", p: newProfileId },
    ]);
  });

  it("refuses an unmerge whose records were all split off since, and writes nothing", () => {
    const { loyalty, online } = twoAnnas();
    const { mergeEventId } = mergeManually(db, loyalty, online, { staffId: null, cause: "reviewed" });
    const theirs = db
      .select()
      .from(sourceCustomers)
      .all()
      .filter((r) => r.sourceCustomerId !== "L1")
      .map((r) => r.id);
    splitRecords(db, loyalty, theirs, { staffId: null, cause: "not her" });
    const before = digest();
    expect(() => unmerge(db, mergeEventId, { staffId: null, cause: "again" })).toThrow(/split off to another customer since/);
    expect(digest()).toBe(before);
  });

  it("a customer merged in earlier whose records all leave redirects to the new customer", () => {
    const { loyalty, online } = twoAnnas();
    mergeManually(db, loyalty, online, { staffId: null, cause: "reviewed" });
    const onlineRecords = db
      .select()
      .from(sourceCustomers)
      .all()
      .filter((r) => r.sourceCustomerId !== "L1")
      .map((r) => r.id);
    const { newProfileId } = splitRecords(db, loyalty, onlineRecords, { staffId: null, cause: "not her" });
    expect(
      db
        .select()
        .from(profiles)
        .all()
        .find((p) => p.id === online)!.mergedInto,
    ).toBe(newProfileId);
  });
});

describe("the nightly pass checks that each profile's records belong together", () => {
  /**
   * One Megan Hall's web account; another Megan Hall at the same postcode pays at the till with her
   * card, and the till record joins the first on name and postcode; then her loyalty record follows
   * it on the card, born sixteen years apart, with another email.
   */
  function twoMegans() {
    const { customers } = ingest(
      db,
      [
        {
          source: "ecom",
          sourceCustomerId: "E1",
          firstName: "Megan",
          lastName: "Hall",
          birthDate: "1989-04-23",
          email: "meganhall@example.com",
          postcode: "M21 7PY",
          city: "Manchester",
        },
        { source: "pos", sourceCustomerId: "P2", firstName: "Megan", lastName: "Hall", postcode: "M21 7PY", city: "Manchester", loyaltyId: card(7) },
        {
          source: "loyalty",
          sourceCustomerId: "L2",
          firstName: "Megan",
          lastName: "Hall",
          birthDate: "1973-02-02",
          email: "mhall@example.com",
          phone: "07886 383574",
          postcode: "M21 7PY",
          loyaltyId: card(7),
        },
      ],
      [order("ecom", "O1", "E1", 5000), order("pos", "O2", "P2", 2000)],
    );
    return customers.map((c) => c.profileId);
  }

  const where = () =>
    Object.fromEntries(
      db
        .select()
        .from(sourceCustomers)
        .all()
        .map((r) => [r.sourceCustomerId, r.profileId]),
    );

  it("splits off records that, with everything now known, are not the profile's customer, and leaves them apart", () => {
    const [first] = twoMegans();
    expect(where()).toEqual({ E1: first, P2: first, L2: first });
    const result = findPossibleDuplicates(db);
    expect(result).toMatchObject({ split: 1, merged: 0, queued: 0 });
    const other = where().P2;
    expect(other).not.toBe(first);
    expect(where()).toEqual({ E1: first, P2: other, L2: other });
    const owners = db.$client.prepare("select external_id as o, profile_id as p from orders order by o").all();
    expect(owners).toEqual([
      { o: "O1", p: first },
      { o: "O2", p: other },
    ]);
    // The model's own split, with its reason; it is not a person's "not the same person".
    const [event] = db.select().from(mergeEvents).all();
    expect(event).toMatchObject({ kind: "split", survivorId: first, absorbedId: other, staffId: null });
    expect(event.cause).toMatch(/^match model, nightly pass: these records do not belong with the rest \(13% likely\)$/);
    expect(event.evidence?.parts.map((p) => p.text)).toContain("born more than ten years apart");
    expect(db.select().from(reviewQueue).all()).toEqual([]);
    // Run again: nothing more to split, and the two stay apart (13% is below the review threshold too).
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 0, merged: 0, queued: 0 });
    expect(where()).toEqual({ E1: first, P2: other, L2: other });
  });

  it("splits off two groups of records that hold each other in, though each alone is held", () => {
    // Seed 73's Catriona O'Neills, born the same day: the first's till record and web account (one
    // email, one phone, postcode M50 5UX); the second's web account (another email and phone, M5 6PG)
    // and her second till account (only her name and M5 6PG).
    const catriona = { firstName: "Catriona", lastName: "O'Neill" };
    const first = [
      matchRecord({ ...catriona, email: "catriona.oneill276845@post.example.org", phone: "07891 666060" }),
      matchRecord({ ...catriona, birthDate: "2007-12-12", email: "catriona.oneill276845@post.example.org", postcode: "M50 5UX" }),
    ];
    const web = matchRecord({ ...catriona, birthDate: "2007-12-12", email: "coneill520065@mail.example.com", phone: "07913 389400", postcode: "M5 6PG" });
    const till = matchRecord({ ...catriona, postcode: "M5 6PG" });
    const records = [...first, web, till];
    const model = defaultModel();
    const others = (group: typeof records) => records.filter((r) => !group.includes(r));
    // Alone, the web account is held by the birth date and the till record's postcode, and the till record by the web account.
    expect(scoreProfiles(model, [web], others([web]))!.best.probability).toBeGreaterThanOrEqual(0.99);
    expect(scoreProfiles(model, [till], others([till]))!.best.probability).toBeGreaterThanOrEqual(0.99);
    const loose = looseGroup(model, records, 0.99)!;
    expect(loose.records.map((r) => r.id).sort()).toEqual([web.id, till.id].sort());
    expect(loose.probability).toBeLessThan(0.99);
    expect(loose.match.best.parts.map((p) => p.text)).toContain("different postcodes: M5 6PG / M50 5UX");
    // The second Catriona's own two records hold together, and the first's with her new email and a till record of her own.
    expect(looseGroup(model, [web, till], 0.99)).toBeNull();
    const third = matchRecord({ ...catriona, birthDate: "2007-12-12", email: "catriona.new@example.org", postcode: "M50 5UX" });
    expect(looseGroup(model, [...first, third, matchRecord({ ...catriona, postcode: "M50 5UX" })], 0.99)).toBeNull();
  });

  it("a group that is likely but not surely the customer is split off and put to a person", () => {
    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "Q1", firstName: "Agnieszka", lastName: "Campbell", phone: "07892 260458", postcode: "BS1 8QL", city: "Bristol" },
      { source: "ecom", sourceCustomerId: "Q2", firstName: "Agnieszka", lastName: "Campbell", email: "ac@example.org", postcode: "BS1 8QL", city: "Bristol" },
      {
        source: "loyalty",
        sourceCustomerId: "Q3",
        firstName: "Agnieszka",
        lastName: "Campbell",
        email: "ac@example.org",
        phone: "07758 708721",
        birthDate: "1963-10-06",
        postcode: "BS1 8QL",
        loyaltyId: card(9),
      },
    ]);
    const first = customers[0].profileId;
    expect(new Set(customers.map((c) => c.profileId))).toEqual(new Set([first]));
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 1, queued: 1 });
    const other = where().Q2;
    expect(where()).toEqual({ Q1: first, Q2: other, Q3: other });
    const [item] = db.select().from(reviewQueue).all();
    expect(item).toMatchObject({ kind: "possible_duplicate", profileA: first, profileB: other, status: "open" });
    expect(item.reason).toMatch(/^98% likely: /);
    expect(item.evidence?.parts.map((p) => p.text)).toContain("different phone numbers");
  });

  it("splits off a till record that another customer of that name at that postcode claims as strongly, and puts both claims to a person", () => {
    const kwame = { firstName: "Kwame", lastName: "Morris", postcode: "SW1A 2AH" };
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", ...kwame, birthDate: "1989-03-06", email: "kwame.morris@example.org", city: "London" },
      { source: "loyalty", sourceCustomerId: "L1", ...kwame, birthDate: "1989-03-06", email: "kwame.morris@example.org", loyaltyId: card(11) },
      // Only a name and a postcode: it joins the one Kwame Morris there is.
      { source: "pos", sourceCustomerId: "P2", ...kwame },
      // The other Kwame Morris at that postcode, born fourteen years earlier.
      { source: "ecom", sourceCustomerId: "E2", ...kwame, birthDate: "1975-07-19", email: "kmorris75@example.net", address: "4 Kingsway", city: "London" },
    ]);
    const [first, , , second] = customers.map((c) => c.profileId);
    expect(second).not.toBe(first);
    expect(where()).toEqual({ E1: first, L1: first, P2: first, E2: second });

    expect(findPossibleDuplicates(db)).toMatchObject({ split: 1, merged: 0, queued: 2 });
    const till = where().P2;
    expect(where()).toEqual({ E1: first, L1: first, P2: till, E2: second });
    expect([first, second]).not.toContain(till);
    const [event] = db.select().from(mergeEvents).all();
    expect(event).toMatchObject({ kind: "split", survivorId: first, absorbedId: till, staffId: null });
    // Each claim alone is 99.6% (shown cut to 99.5%); shared between the two, about even.
    expect(event.cause).toMatch(/^match model, nightly pass: another customer claims these records as strongly \(5\d% likely\)$/);
    const items = db
      .select()
      .from(reviewQueue)
      .all()
      .map((i) => [i.profileA, i.profileB, i.reason]);
    expect(items).toHaveLength(2);
    expect(items).toContainEqual([first, till, expect.stringMatching(/^99\.5% likely: .*not merged automatically: another customer matches as well$/)]);
    expect(items).toContainEqual([second, till, expect.stringMatching(/^99\.5% likely: .*not merged automatically: another customer matches as well$/)]);
    // Run again: both claims wait for the person; nothing moves.
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 0, merged: 0, queued: 0 });

    // The reviewer turns down the other Kwame's claim: the first's stands alone, and the till record goes back to him.
    const reviewer = db.insert(staff).values({ email: "hq3@example.com", name: "HQ", role: "hq", passwordHash: "x" }).returning({ id: staff.id }).get().id;
    const rivalItem = db
      .select()
      .from(reviewQueue)
      .all()
      .find((i) => i.profileA === second && i.profileB === till)!;
    rejectReviewItem(db, rivalItem.id, reviewer);
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 0, merged: 1 });
    expect(where()).toEqual({ E1: first, L1: first, P2: first, E2: second });
  });

  it("counts the splits in a dry run and writes nothing", () => {
    twoMegans();
    const before = digest();
    expect(findPossibleDuplicates(db, { ...DEFAULT_DUPLICATE_OPTIONS, dryRun: true })).toMatchObject({ split: 1, merged: 0, queued: 0 });
    expect(digest()).toBe(before);
  });

  it("leaves alone a profile a person merged or split: the model does not overrule them", () => {
    const [first] = twoMegans();
    const staffMember = db.insert(staff).values({ email: "hq2@example.com", name: "HQ", role: "hq", passwordHash: "x" }).returning({ id: staff.id }).get().id;
    const byHand = { staffId: staffMember, cause: "checked with the customer" };
    const { newProfileId } = splitRecords(db, first, [where().L2], byHand);
    mergeManually(db, first, newProfileId, byHand);
    expect(where()).toEqual({ E1: first, P2: first, L2: first });
    expect(findPossibleDuplicates(db)).toMatchObject({ split: 0 });
    expect(where()).toEqual({ E1: first, P2: first, L2: first });
  });
});
