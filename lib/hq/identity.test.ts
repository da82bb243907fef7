import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { profiles } from "@/db/schema";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "@/lib/identity/normalize";
import { loadIdentitySettings, storedIdentitySettings } from "@/lib/identity/settings";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { ingest, seedBasics } from "@/lib/test/factories";
import {
  addBlockedValue,
  blockedValueSchema,
  identityFieldsSchema,
  listSources,
  recomputeGoldenBatch,
  removeBlockedValue,
  reorderSources,
  saveIdentityFields,
  sourceChangeSchema,
  updateSource,
} from "./identity";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
databaseEachTest((fresh) => seedBasics((db = fresh)));

describe("identity settings validation", () => {
  it("takes a known country and a cap from 2 to 50", () => {
    expect(identityFieldsSchema.parse({ defaultCountry: "ie", maxProfilesPerIdentifier: 5 })).toEqual({ defaultCountry: "IE", maxProfilesPerIdentifier: 5 });
    const bad = identityFieldsSchema.safeParse({ defaultCountry: "XX", maxProfilesPerIdentifier: 1 });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["defaultCountry", "Use a two-letter country code, such as GB or FR."],
      ["maxProfilesPerIdentifier", "At least 2: an identifier owned by one profile is the normal case."],
    ]);
  });

  it("saves the fields over what is stored, reports the change, and the cached copy follows at once", () => {
    identitySettingsFor(db);
    expect(saveIdentityFields(db, { defaultCountry: "IE", maxProfilesPerIdentifier: 3 })).toEqual({ defaultCountry: { from: "GB", to: "IE" } });
    expect(identitySettingsFor(db)).toMatchObject({ defaultCountry: "IE", maxProfilesPerIdentifier: 3, loyalty: DEFAULT_IDENTITY_SETTINGS.loyalty });
  });
});

describe("blocked values", () => {
  it("normalises what is typed, refuses what is not an identifier, and removes by stored value", () => {
    expect(addBlockedValue(db, "phone", "07412 000111")).toEqual({ value: "+447412000111", added: true });
    expect(addBlockedValue(db, "phone", "+44 7412 000111")).toEqual({ value: "+447412000111", added: false });
    expect(addBlockedValue(db, "email", " Nobody@Example.COM ")).toEqual({ value: "nobody@example.com", added: true });
    const card = makeLoyaltyId(42, DEFAULT_IDENTITY_SETTINGS.loyalty);
    expect(addBlockedValue(db, "loyalty", card.toLowerCase())).toEqual({ value: card, added: true });
    expect(() => addBlockedValue(db, "email", "nobody at example")).toThrow("That is not a valid email address.");
    expect(() => addBlockedValue(db, "phone", "12")).toThrow("That is not a valid phone number.");
    expect(() => addBlockedValue(db, "loyalty", "CL0000000001")).toThrow("That is not a valid loyalty ID.");
    expect(storedIdentitySettings(db).blocked).toEqual({ email: ["nobody@example.com"], phone: ["+447412000111"], loyalty: [card] });
    expect(removeBlockedValue(db, "phone", "+447412000111")).toEqual({ removed: true });
    expect(removeBlockedValue(db, "phone", "+447412000111")).toEqual({ removed: false });
    expect(storedIdentitySettings(db).blocked.phone).toEqual([]);
    expect(blockedValueSchema.safeParse({ type: "email", value: `${"x".repeat(201)}@example.com` }).error?.issues.map((i) => i.message)).toEqual([
      "Longer than 200 characters: no email, phone or loyalty ID is that long.",
    ]);
  });

  it("stops a blocked email linking new records, without storing the stores' phones as head office's own blocks", () => {
    addBlockedValue(db, "email", "shared@example.com");
    const { customers } = ingest(db, [
      { source: "pos", sourceCustomerId: "P1", firstName: "Ann", email: "shared@example.com" },
      { source: "ecom", sourceCustomerId: "E1", firstName: "Bob", email: "shared@example.com" },
    ]);
    expect(customers[0].profileId).not.toBe(customers[1].profileId);
    expect(storedIdentitySettings(db).blocked.phone).toEqual([]);
    expect(loadIdentitySettings(db).blocked.phone).toEqual(["+442079460001", "+441134960001"]);
  });
});

describe("sources and survivorship", () => {
  const twoSources = () =>
    ingest(db, [
      // One person by her email and birth date: until a model is trained on the store, two first names alike
      // only by Jaro-Winkler are held back unless the birth date says they are one person.
      { source: "loyalty", sourceCustomerId: "L1", firstName: "Anna", lastName: "Kowalski", email: "anna@example.com", birthDate: "1990-04-02", updatedAt: 1 },
      { source: "pos", sourceCustomerId: "P1", firstName: "Annie", lastName: "Kowalski", email: "anna@example.com", birthDate: "1990-04-02", updatedAt: 2 },
    ]).customers[0].profileId;
  const firstName = (id: number) => db.select({ n: profiles.firstName }).from(profiles).where(eq(profiles.id, id)).get()?.n;

  it("validates a source edit and reports what changed", () => {
    expect(sourceChangeSchema.safeParse({ sourceId: 1, label: "", trustRank: 0 }).error?.issues.map((i) => i.message)).toEqual([
      "Enter the name staff know it by.",
      "From 1 to 1000.",
    ]);
    expect(updateSource(db, { sourceId: 3, label: "Till", trustRank: 30 })).toEqual({ name: "pos", changes: { label: { from: "Store till", to: "Till" } } });
    expect(() => updateSource(db, { sourceId: 99, label: "X", trustRank: 5 })).toThrow("Unknown source system.");
  });

  it("a new trust order applies to the next survivorship and, recomputed, to existing profiles", () => {
    const anna = twoSources();
    expect(firstName(anna)).toBe("Anna");
    const [loyalty, ecom, pos] = listSources(db).map((s) => s.id);
    expect(reorderSources(db, [pos, loyalty, ecom])).toEqual({ before: { loyalty: 10, ecom: 20, pos: 30 }, after: { pos: 10, loyalty: 20, ecom: 30 } });
    expect(listSources(db).map((s) => s.name)).toEqual(["pos", "loyalty", "ecom"]);
    expect(firstName(anna)).toBe("Anna");
    const first = recomputeGoldenBatch(db, 0, 1);
    expect(first).toMatchObject({ processed: 1, remaining: 0, done: true });
    expect(firstName(anna)).toBe("Annie");
    expect(recomputeGoldenBatch(db, first.lastId)).toEqual({ lastId: first.lastId, processed: 0, remaining: 0, done: true });
  });

  it("recomputes in batches with what is left, and refuses a stale order", () => {
    ingest(
      db,
      [1, 2, 3].map((n) => ({ source: "pos", sourceCustomerId: `P${n}`, firstName: `C${n}`, email: `c${n}@example.com` })),
    );
    expect(recomputeGoldenBatch(db, 0, 2)).toMatchObject({ processed: 2, remaining: 1, done: false });
    expect(() => reorderSources(db, [1, 2])).toThrow("The list of sources has changed");
    expect(() => reorderSources(db, [1, 1, 2])).toThrow("The list of sources has changed");
  });
});
