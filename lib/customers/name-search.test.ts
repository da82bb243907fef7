import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { ingest, seedBasics } from "@/lib/test/factories";
import { lookupCustomer } from "./lookup";
import { DEFAULT_IDENTITY_SETTINGS } from "@/lib/identity/normalize";
import { nameDistance, searchProfilesByName } from "./name-search";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  ingest(db, [
    { source: "pos", sourceCustomerId: "1", firstName: "Anna", lastName: "Kowalski", city: "London", phone: "07412 345678" },
    { source: "pos", sourceCustomerId: "2", firstName: "Hannah", lastName: "Kowal", city: "Leeds" },
    { source: "pos", sourceCustomerId: "3", firstName: "José", lastName: "Núñez", city: "Leeds" },
    { source: "pos", sourceCustomerId: "4", firstName: "Oliver", lastName: "Grant", city: "Bristol" },
  ]);
});

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

  it("puts the name typed whole before names that only start with it", () => {
    ingest(db, [
      { source: "pos", sourceCustomerId: "5", firstName: "Joseph", lastName: "García" },
      { source: "pos", sourceCustomerId: "6", firstName: "José", lastName: "Garcia" },
    ]);
    expect(names("José Garcia")).toEqual(["José Garcia", "Joseph García"]);
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

describe("narrowing a common name", () => {
  beforeEach(() => {
    ingest(
      db,
      Array.from({ length: 14 }, (_, i) => ({
        source: "pos",
        sourceCustomerId: `smith-${i}`,
        firstName: ["Jo", "Sam", "Alex", "Kim"][i % 4] + String.fromCharCode(97 + i),
        lastName: "Smith",
        city: i % 2 === 0 ? "York" : "Bath",
        birthDate: `19${70 + i}-05-0${(i % 9) + 1}`,
        phone: `07412 3456${String(i).padStart(2, "0")}`,
      })),
    );
  });

  it("says how many match in all while listing a page of them", () => {
    const page = searchProfilesByName(db, "smith");
    expect(page.matches).toHaveLength(10);
    expect(page.total).toBe(14);
    expect(page.capped).toBe(false);
    expect(searchProfilesByName(db, "smith", {}, 20).matches).toHaveLength(14);
  });

  it("narrows by city, birth year and the phone's last digits, and says what matched", () => {
    const york = searchProfilesByName(db, "smith", { city: "york" });
    expect(york.total).toBe(7);
    expect(york.matches[0].matched).toEqual(["surname", "city"]);
    const born = searchProfilesByName(db, "smith", { birthYear: 1973 });
    expect(born.total).toBe(1);
    const phone = searchProfilesByName(db, "smith", { city: "Bath", phoneEnd: "13" });
    expect(phone.total).toBe(1);
    expect(phone.matches[0].matched).toEqual(["surname", "city", "phone ending 13"]);
    expect(searchProfilesByName(db, "smith", { city: "Bath", phoneEnd: "12" }).total).toBe(0);
  });

  it("says which parts of the name matched", () => {
    const [anna] = searchProfilesByName(db, "anna kowalski").matches;
    expect(anna.matched).toEqual(["first name", "surname"]);
    expect(searchProfilesByName(db, "kowalsky").matches[0].matched).toEqual(["name, spelt close"]);
  });
});
