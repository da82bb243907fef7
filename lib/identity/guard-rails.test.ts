import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { reviewQueue, sourceCustomers } from "@/db/schema";
import { ingest, seedBasics } from "@/lib/test/factories";
import { FEMALE_NAMES, LAST_NAMES } from "@/lib/demo/people";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "./normalize";
import { databaseEachTest } from "@/lib/test/each-test";

const card = (n: number) => makeLoyaltyId(n, DEFAULT_IDENTITY_SETTINGS.loyalty);
let db: Db;

databaseEachTest((fresh) => seedBasics((db = fresh)));

const profilesOf = () =>
  new Map(
    db
      .select()
      .from(sourceCustomers)
      .all()
      .map((r) => [r.sourceCustomerId, r.profileId]),
  );
const distinctProfiles = () => new Set(profilesOf().values()).size;

describe("guard rails on a real SQLite file", () => {
  it("keeps a couple sharing one household phone apart when their first names and loyalty cards differ", () => {
    const { customers } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Anna", lastName: "Kowalski", phone: "07412 345678", loyaltyId: card(1) },
      { source: "loyalty", sourceCustomerId: "L2", firstName: "Piotr", lastName: "Kowalski", phone: "+44 7412 345678", loyaltyId: card(2) },
    ]);
    expect(customers[0].profileId).not.toBe(customers[1].profileId);
    expect(customers[1].absorbedProfileIds).toEqual([]);
    // Her online account, known by her card and the shared phone, still finds her and only her.
    const { customers: later } = ingest(db, [{ source: "ecom", sourceCustomerId: "E1", firstName: "Anna", phone: "07412345678", loyaltyId: card(1) }]);
    expect(later[0].profileId).toBe(customers[0].profileId);
  });

  it("puts a likely pair held back by different loyalty cards to review, with its probability and weights", () => {
    const { customers } = ingest(db, [
      {
        source: "loyalty",
        sourceCustomerId: "L1",
        firstName: "Anna",
        lastName: "Kowalski",
        birthDate: "1985-03-02",
        phone: "07412 345678",
        loyaltyId: card(1),
      },
      { source: "pos", sourceCustomerId: "P1", firstName: "Anna", lastName: "Kowalski", birthDate: "1985-03-02", phone: "07412 345678", loyaltyId: card(2) },
    ]);
    expect(customers[0].profileId).not.toBe(customers[1].profileId);
    const reviews = db.select().from(reviewQueue).all();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ kind: "possible_duplicate", profileA: customers[0].profileId, profileB: customers[1].profileId, status: "open" });
    expect(reviews[0].score).toBeGreaterThan(0.99);
    expect(reviews[0].reason).toContain("not merged automatically: different loyalty cards");
    expect(reviews[0].evidence?.parts.map((p) => p.level)).toEqual(["exact", "exact", "exact", "exact", "else"]);
  });

  it("keeps apart records sharing an email whose birth dates differ, and joins the one born the same day", () => {
    const { customers } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", firstName: "Sam", lastName: "Jones", email: "family@example.com", birthDate: "1971-06-24" },
      { source: "pos", sourceCustomerId: "P1", firstName: "Sam", lastName: "Jones", email: "Family@Example.com", birthDate: "2001-02-03" },
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Sam", lastName: "Jones", email: "family@example.com", birthDate: "19710624" },
    ]);
    expect(customers[1].profileId).not.toBe(customers[0].profileId);
    expect(customers[2].profileId).toBe(customers[0].profileId);
    const reviews = db.select().from(reviewQueue).all();
    expect(reviews.map((r) => r.reason.includes("different birth dates"))).toEqual(reviews.map(() => true));
  });

  it("never merges 50 walk-ins given the store's phone", () => {
    const walkIns = Array.from({ length: 50 }, (_, i) => ({ source: "pos", sourceCustomerId: `W${i}`, firstName: `Walk${i}`, phone: "020 7946 0001" }));
    ingest(db, walkIns);
    expect(distinctProfiles()).toBe(50);
  });

  it("stops linking on a shop phone that is not registered once it is shared by too many people", () => {
    const walkIns = Array.from({ length: 50 }, (_, i) => ({ source: "pos", sourceCustomerId: `W${i}`, phone: "0161 496 0999", loyaltyId: card(100 + i) }));
    const { customers } = ingest(db, walkIns);
    expect(distinctProfiles()).toBe(50);
    expect(customers.reduce((n, c) => n + c.absorbedProfileIds.length, 0)).toBe(0);
    const overShared = db
      .select()
      .from(reviewQueue)
      .all()
      .filter((r) => r.kind === "over_shared_identifier");
    expect(overShared).toHaveLength(1);
    expect(overShared[0]).toMatchObject({ identifierType: "phone", identifierValue: "+441614960999" });
  });

  it("makes no wrong merge among 2,000 people sharing one junk email", () => {
    const people = Array.from({ length: 2000 }, (_, i) => ({
      source: i % 2 ? "ecom" : "pos",
      sourceCustomerId: `J${i}`,
      firstName: FEMALE_NAMES[i % FEMALE_NAMES.length],
      lastName: LAST_NAMES[Math.floor(i / FEMALE_NAMES.length) % LAST_NAMES.length],
      email: "shop@retailer-junk.com",
    }));
    const { customers } = ingest(db, people);
    expect(distinctProfiles()).toBe(2000);
    expect(customers.reduce((n, c) => n + c.absorbedProfileIds.length, 0)).toBe(0);
    const reviews = db.select().from(reviewQueue).all();
    expect(reviews.filter((r) => r.kind === "over_shared_identifier")).toHaveLength(1);
    expect(reviews.length).toBeLessThan(10);
    // The same person sent again by another system joins nobody: the email no longer links.
    const { customers: again } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "X", firstName: FEMALE_NAMES[0], lastName: LAST_NAMES[0], email: "shop@retailer-junk.com" },
    ]);
    expect(again[0].createdProfile).toBe(true);
  });

  it("keeps apart two namesakes a till registered on one household landline, and puts them to review", () => {
    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "P1", firstName: "Mei", lastName: "Nguyen", phone: "0161 969 9407", postcode: "M4 3JE" },
      {
        source: "pos",
        sourceCustomerId: "P2",
        firstName: "MEI",
        lastName: "Nguyen",
        phone: "0161 969 9407",
        postcode: "M4 3JE",
        email: "mei.nguyen2@example.org",
      },
    ]);
    expect(customers[1].profileId).not.toBe(customers[0].profileId);
    const reviews = db.select().from(reviewQueue).all();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ profileA: customers[0].profileId, profileB: customers[1].profileId, status: "open" });
    expect(reviews[0].reason).toContain("not merged automatically: one source holds them as two customers on one phone");
    // The second one's web account, with her own email, finds her and only her.
    const { customers: web } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E2", firstName: "Mei", lastName: "Nguyen", email: "mei.nguyen2@example.org", postcode: "M4 3JE" },
    ]);
    expect(web[0]).toMatchObject({ profileId: customers[1].profileId, absorbedProfileIds: [] });
    // Another system's record on that phone is no such word: the till customer and her web account are one.
    const { customers: other } = ingest(db, [
      { source: "ecom", sourceCustomerId: "E1", firstName: "Mei", lastName: "Nguyen", phone: "0161 969 9407", email: "mei@example.org" },
    ]);
    expect(other[0].createdProfile).toBe(false);
    expect([customers[0].profileId, customers[1].profileId]).toContain(other[0].profileId);
  });

  it("still links one person's records from several sources", () => {
    const { customers } = ingest(db, [
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Ada", lastName: "Byron", loyaltyId: card(7), birthDate: "1980-01-01" },
      { source: "ecom", sourceCustomerId: "E1", firstName: "Ada", lastName: "Byron", email: "a@example.com", loyaltyId: card(7) },
      { source: "pos", sourceCustomerId: "P1", firstName: "ADA", lastName: "BYRON", email: "a@example.com", phone: "07412 345678", birthDate: "1980-01-01" },
    ]);
    expect(new Set(customers.map((c) => c.profileId)).size).toBe(1);
    expect(db.select().from(reviewQueue).all()).toEqual([]);
  });
});
