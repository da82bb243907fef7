import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "@/lib/identity/normalize";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { ingest, seedBasics } from "@/lib/test/factories";
import { lookupCustomer } from "./lookup";
import { getProfileSummary, getPurchaseHistory, resolveProfileId } from "./profile";
import { databaseEachTest } from "@/lib/test/each-test";

const card = makeLoyaltyId(4242, DEFAULT_IDENTITY_SETTINGS.loyalty);
let db: Db;

databaseEachTest((fresh) => seedBasics((db = fresh)));

describe("lookupCustomer on a real SQLite file", () => {
  it("finds one person known differently to three sources by any identifier", () => {
    ingest(
      db,
      [
        { source: "pos", sourceCustomerId: "P1", firstName: "Anna", lastName: "K", phone: "07412 345678", loyaltyId: card.toLowerCase().replace("cl", "cl-") },
        { source: "ecom", sourceCustomerId: "E1", firstName: "Anna", lastName: "Kowalski", phone: "+44 7412 345678", email: " Anna.Kowalski@Example.com " },
        { source: "loyalty", sourceCustomerId: "L1", firstName: "Anna", lastName: "Kowalski", loyaltyId: card, tier: "Gold" },
      ],
      [
        {
          source: "pos",
          externalId: "T1",
          sourceCustomerId: "P1",
          channel: "store",
          storeCode: "LDN",
          placedAt: Date.UTC(2026, 4, 3),
          lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }],
        },
        {
          source: "ecom",
          externalId: "W1",
          sourceCustomerId: "E1",
          channel: "online",
          placedAt: Date.UTC(2026, 5, 1),
          lines: [{ sku: "JK-1-M", quantity: 1, unitPrice: 8900 }],
        },
        {
          source: "ecom",
          externalId: "W1-R",
          sourceCustomerId: "E1",
          channel: "online",
          placedAt: Date.UTC(2026, 5, 9),
          lines: [{ sku: "JK-1-M", quantity: -1, unitPrice: 8900 }],
        },
      ],
    );
    const settings = loadIdentitySettings(db);
    const ids = new Set<number>();
    for (const q of [
      "07412 345678",
      "+44 7412 345678",
      "(07412) 345-678",
      "anna.kowalski@example.com",
      "ANNA.KOWALSKI@EXAMPLE.COM",
      card,
      card.toLowerCase(),
    ]) {
      const r = lookupCustomer(db, settings, q);
      expect(r.kind === "matches" && r.candidates.length, q).toBe(1);
      if (r.kind === "matches") ids.add(r.candidates[0].profileId);
    }
    expect(ids.size).toBe(1);
    const [profileId] = ids;
    const summary = getProfileSummary(db, profileId)!;
    expect(summary).toMatchObject({ name: "Anna Kowalski", tier: "Gold", loyaltyId: card, orderCount: 2, lifetimeSpend: 3900 });
    expect(summary.sources.map((s) => s.source)).toEqual(["loyalty", "ecom", "pos"]);
    const history = getPurchaseHistory(db, profileId, null);
    expect(history.orders.map((o) => [o.channel, o.isReturn])).toEqual([
      ["online", true],
      ["online", false],
      ["store", false],
    ]);
  });

  it("says what it searched when nobody matches, and rejects nonsense", () => {
    const settings = loadIdentitySettings(db);
    expect(lookupCustomer(db, settings, "07412 999888")).toEqual({ kind: "none", searched: "+447412999888", by: "identifier" });
    expect(lookupCustomer(db, settings, "Zebedee")).toEqual({ kind: "none", searched: "Zebedee", by: "name" });
    expect(lookupCustomer(db, settings, "flat 4b").kind).toBe("invalid");
  });

  it("lists everyone an input could mean rather than picking one", () => {
    // Ten digits can be both a card number and a mobile number: the assistant chooses, not the code.
    const cardLikePhone = makeLoyaltyId(741234567, DEFAULT_IDENTITY_SETTINGS.loyalty);
    const digits = cardLikePhone.slice(2);
    ingest(db, [
      { source: "loyalty", sourceCustomerId: "A", firstName: "Ann", lastName: "Card", loyaltyId: cardLikePhone },
      { source: "pos", sourceCustomerId: "B", firstName: "Bob", lastName: "Phone", phone: `0${digits}` },
    ]);
    const r = lookupCustomer(db, loadIdentitySettings(db), digits);
    expect(r.kind).toBe("matches");
    if (r.kind !== "matches") return;
    expect(r.candidates.map((c) => [c.name, c.matchedOn]).sort()).toEqual([
      ["Ann Card", [{ type: "loyalty", source: "Loyalty programme" }]],
      ["Bob Phone", [{ type: "phone", source: "Store till" }]],
    ]);
    expect(r.candidates[1].maskedPhone ?? r.candidates[0].maskedPhone).toMatch(/^•••• \d{4}$/);
  });

  it("merges profiles a new record bridges, and the absorbed ID redirects to the survivor", () => {
    const first = ingest(db, [
      { source: "pos", sourceCustomerId: "A", firstName: "Xavier", lastName: "Dupont", phone: "07412 111111" },
      { source: "ecom", sourceCustomerId: "B", firstName: "Xavier", lastName: "Dupont", email: "xavier@example.com" },
    ]);
    const [a, b] = first.customers.map((c) => c.profileId);
    expect(a).not.toBe(b);
    const bridge = ingest(db, [
      { source: "loyalty", sourceCustomerId: "C", firstName: "Xavier", lastName: "Dupont", phone: "07412111111", email: "Xavier@example.com" },
    ]);
    expect(bridge.customers[0]).toMatchObject({ profileId: a, absorbedProfileIds: [b] });
    expect(resolveProfileId(db, b)).toEqual({ kind: "redirect", profileId: a });
    const r = lookupCustomer(db, loadIdentitySettings(db), "xavier@example.com");
    expect(r).toMatchObject({ kind: "matches", candidates: [{ profileId: a }] });
  });

  it("never links on placeholders or the store's own phone", () => {
    // Each with a postcode of its own: a record of placeholders alone is refused as knowing no one.
    const res = ingest(db, [
      { source: "pos", sourceCustomerId: "A", email: "noemail@store.com", phone: "020 7946 0001", postcode: "N1 9GU" },
      { source: "pos", sourceCustomerId: "B", email: "NOEMAIL@store.com", phone: "0207 946 0001", postcode: "E2 7DJ" },
      { source: "pos", sourceCustomerId: "C", phone: "0000000000", postcode: "SE1 7PB" },
      { source: "pos", sourceCustomerId: "D", phone: "0000000000", postcode: "M1 1AE" },
    ]);
    expect(new Set(res.customers.map((c) => c.profileId)).size).toBe(4);
  });

  it("is idempotent: re-sending a record changes nothing", () => {
    const rec = { source: "pos", sourceCustomerId: "A", firstName: "Ann", phone: "07412 111111" };
    const first = ingest(db, [rec]).customers[0];
    const again = ingest(db, [rec]).customers[0];
    expect(again).toMatchObject({ status: "unchanged", profileId: first.profileId, sourceRecordId: first.sourceRecordId });
    const updated = ingest(db, [{ ...rec, firstName: "Anne" }]).customers[0];
    expect(updated).toMatchObject({ status: "updated", profileId: first.profileId });
    expect(getProfileSummary(db, first.profileId)!.name).toBe("Anne");
  });
});

describe("consent given at the counter", () => {
  it("survives a later re-import of older source data, and loses to a newer statement", async () => {
    const { recordConsent } = await import("./consent");
    const { profileId } = ingest(db, [{ source: "ecom", sourceCustomerId: "E", email: "c@example.com", consents: { sms: false }, updatedAt: 1000 }])
      .customers[0];
    const assistant = db.$client.prepare("insert into staff (email, name, role, password_hash) values ('s@x', 'S', 'associate', 'x') returning id").get() as {
      id: number;
    };
    recordConsent(db, profileId, { staffId: assistant.id, storeId: 1 }, "sms", true, 5000);
    ingest(db, [{ source: "ecom", sourceCustomerId: "E", email: "c@example.com", firstName: "Cara", consents: { sms: false }, updatedAt: 2000 }]);
    expect(getProfileSummary(db, profileId)!.consents.sms).toEqual({ granted: true, at: 5000, source: "clientele" });
    ingest(db, [{ source: "ecom", sourceCustomerId: "E", email: "c@example.com", firstName: "Cara", consents: { sms: false }, updatedAt: 9000 }]);
    expect(getProfileSummary(db, profileId)!.consents.sms).toEqual({ granted: false, at: 9000, source: "ecom" });
  });
});
