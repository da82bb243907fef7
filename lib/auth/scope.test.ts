import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { addStaff, ingest, seedBasics } from "@/lib/test/factories";
import { assertChain, assertCustomers, assertProfile, assertStore } from "./scope";
import type { StaffIdentity } from "./staff";
import { databaseEachTest } from "@/lib/test/each-test";

const LDN = 1;
const LDS = 2;
const SECRET = "x".repeat(32);
let db: Db;
let london: number; // bought in London only
let leeds: number; // bought in Leeds only
let online: number; // never in a store
let who: Record<string, StaffIdentity>;

databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  who = addStaff(db, [
    { email: "mo@x", name: "Mo", role: "manager", homeStoreId: LDN },
    { email: "lee@x", name: "Lee", role: "manager", homeStoreId: LDS },
    { email: "ada@x", name: "Ada", role: "associate", homeStoreId: LDN },
    { email: "hq@x", name: "Hal", role: "hq", homeStoreId: null },
  ]);
  const line = [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }];
  const r = ingest(
    db,
    [
      { source: "pos", sourceCustomerId: "L", firstName: "Lon", lastName: "Don" },
      { source: "pos", sourceCustomerId: "D", firstName: "Lee", lastName: "Ds" },
      { source: "ecom", sourceCustomerId: "O", firstName: "On", lastName: "Line" },
    ],
    [
      { source: "pos", externalId: "1", sourceCustomerId: "L", channel: "store", storeCode: "LDN", placedAt: Date.now(), lines: line },
      { source: "pos", externalId: "2", sourceCustomerId: "D", channel: "store", storeCode: "LDS", placedAt: Date.now(), lines: line },
    ],
  );
  [london, leeds, online] = r.customers.map((c) => c.profileId);
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError && e.code === "forbidden") return e.message;
    throw e;
  }
  throw new Error("expected a forbidden refusal");
}

describe("declared scopes", () => {
  it("lets a manager act on several customers only when every one shops at their store, and names nobody when refusing", () => {
    expect(() => assertCustomers(db, who.Mo, [london])).not.toThrow();
    // Both sides of a pair: one London and one Leeds customer is refused to either manager.
    for (const manager of [who.Mo, who.Lee]) {
      const message = refusal(() => assertCustomers(db, manager, [london, leeds]));
      expect(message).not.toMatch(/Lon|Lee Ds|Don/);
    }
    refusal(() => assertCustomers(db, who.Mo, [london, online]));
    refusal(() => assertCustomers(db, who.Ada, [london]));
    expect(() => assertCustomers(db, who.Hal, [london, leeds, online])).not.toThrow();
  });

  it("keeps store actions to the caller's own store, and chain actions to head office", () => {
    expect(() => assertStore(who.Mo, LDN)).not.toThrow();
    expect(() => assertStore(who.Ada, LDN)).not.toThrow();
    refusal(() => assertStore(who.Mo, LDS));
    refusal(() => assertStore(who.Ada, LDS));
    expect(() => assertStore(who.Hal, LDS)).not.toThrow();
    refusal(() => assertChain(who.Mo));
    expect(() => assertChain(who.Hal)).not.toThrow();
  });

  it("opens one customer to a manager of a store they shop at, not to another store's manager", () => {
    expect(assertProfile(db, SECRET, who.Mo, london, null).via).toBe("direct");
    refusal(() => assertProfile(db, SECRET, who.Lee, london, null));
    refusal(() => assertProfile(db, SECRET, who.Ada, london, null));
  });
});
