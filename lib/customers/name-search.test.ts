import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { ingest, seedBasics, tempDatabase } from "@/lib/test/factories";
import { lookupCustomer } from "./lookup";
import { DEFAULT_IDENTITY_SETTINGS } from "@/lib/identity/normalize";
import { nameDistance } from "./name-search";

let db: Db;
let cleanup: () => void;
beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  seedBasics(db);
  ingest(db, [
    { source: "pos", sourceCustomerId: "1", firstName: "Anna", lastName: "Kowalski", city: "London", phone: "07412 345678" },
    { source: "pos", sourceCustomerId: "2", firstName: "Hannah", lastName: "Kowal", city: "Leeds" },
    { source: "pos", sourceCustomerId: "3", firstName: "José", lastName: "Núñez", city: "Leeds" },
    { source: "pos", sourceCustomerId: "4", firstName: "Oliver", lastName: "Grant", city: "Bristol" },
  ]);
});
afterEach(() => cleanup());

const names = (q: string) => {
  const r = lookupCustomer(db, DEFAULT_IDENTITY_SETTINGS, q);
  return r.kind === "matches" ? r.candidates.map((c) => c.name) : [];
};

describe("lookup by name", () => {
  it("finds by prefix and substring of any name", () => {
    expect(names("kowal").sort()).toEqual(["Anna Kowalski", "Hannah Kowal"]);
    expect(names("anna kow")).toEqual(["Anna Kowalski", "Hannah Kowal"]);
    expect(names("Grant")).toEqual(["Oliver Grant"]);
  });

  it("ignores accents and case", () => {
    expect(names("jose nunez")).toEqual(["José Núñez"]);
  });

  it("tolerates a typo", () => {
    expect(names("Kowalsky")).toContain("Anna Kowalski");
    expect(names("Olivr Grant")).toEqual(["Oliver Grant"]);
  });

  it("follows renames and merges through the index triggers", () => {
    ingest(db, [{ source: "pos", sourceCustomerId: "4", firstName: "Peter", lastName: "Grant", city: "Bristol" }]);
    expect(names("peter")).toEqual(["Peter Grant"]);
    expect(names("oliver")).toEqual([]);
  });

  it("needs three letters and finds nothing for strangers", () => {
    expect(names("an")).toEqual([]);
    expect(names("Zebedee")).toEqual([]);
  });

  it("measures distance word by word, allowing an unfinished word", () => {
    expect(nameDistance("anna kowal", "Anna Kowalski")).toBe(0);
    expect(nameDistance("ana kowalski", "Anna Kowalski")).toBe(1);
  });
});
