import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { seedBasics } from "@/lib/test/factories";
import { createStore, listStores, storeInputSchema, updateStore } from "./admin";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
databaseEachTest((fresh) => seedBasics((db = fresh)));

const valid = { code: "man", name: "Manchester", city: "Manchester", country: "gb", phone: "0161 496 0000", lockTimeoutSeconds: 90 };
const errorsOf = (input: unknown) => {
  const r = storeInputSchema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("store settings validation", () => {
  it("normalises the code, country and phone", () => {
    expect(storeInputSchema.parse(valid)).toEqual({ ...valid, code: "MAN", country: "GB", phone: "+441614960000" });
    expect(storeInputSchema.parse({ ...valid, phone: "" }).phone).toBeNull();
    expect(storeInputSchema.parse({ ...valid, country: "FR", phone: "01 23 45 67 89" }).phone).toBe("+33123456789");
  });

  it("refuses unknown countries, bad codes, phones not of the store's country, and lock timeouts out of range", () => {
    expect(errorsOf({ ...valid, country: "UK" })).toEqual({ country: "Use a two-letter country code, such as GB or FR." });
    expect(errorsOf({ ...valid, country: "GBR" })).toEqual({ country: "Use a two-letter country code, such as GB or FR." });
    expect(errorsOf({ ...valid, code: "L-1" })).toEqual({ code: "2 to 8 letters or digits, such as LDN." });
    expect(errorsOf({ ...valid, phone: "12345" })).toEqual({ phone: "Not a valid phone number in GB." });
    expect(errorsOf({ ...valid, lockTimeoutSeconds: 29 })).toEqual({ lockTimeoutSeconds: "At least 30 seconds." });
    expect(errorsOf({ ...valid, lockTimeoutSeconds: 1801 })).toEqual({ lockTimeoutSeconds: "At most 1800 seconds (30 minutes)." });
    expect(errorsOf({ ...valid, lockTimeoutSeconds: 60.5 })).toEqual({ lockTimeoutSeconds: "Whole seconds only." });
    expect(errorsOf({ ...valid, lockTimeoutSeconds: Number.NaN })).toEqual({ lockTimeoutSeconds: "Enter a number of seconds." });
  });
});

describe("creating and editing stores", () => {
  it("creates a store, refuses a taken code, and reports only what changed", () => {
    const store = createStore(db, storeInputSchema.parse(valid));
    expect(store).toMatchObject({ code: "MAN", lockTimeoutSeconds: 90 });
    expect(() => createStore(db, storeInputSchema.parse({ ...valid, code: "LDN" }))).toThrow("Another store has that code.");
    expect(() => updateStore(db, store.id, storeInputSchema.parse({ ...valid, code: "LDS" }))).toThrow("Another store has that code.");
    const { changes } = updateStore(db, store.id, storeInputSchema.parse({ ...valid, name: "Manchester King St", lockTimeoutSeconds: 300 }));
    expect(changes).toEqual({ name: { from: "Manchester", to: "Manchester King St" }, lockTimeoutSeconds: { from: 90, to: 300 } });
    expect(listStores(db).map((s) => [s.code, s.lockTimeoutSeconds])).toEqual([
      ["LDS", 120],
      ["LDN", 120],
      ["MAN", 300],
    ]);
    expect(() => updateStore(db, 999, storeInputSchema.parse(valid))).toThrow("Unknown store.");
  });

  it("blocks a store's phone from linking, read in the store's own country", () => {
    createStore(db, storeInputSchema.parse({ ...valid, code: "PAR", country: "FR", phone: "01 23 45 67 89" }));
    expect(loadIdentitySettings(db).blocked.phone).toContain("+33123456789");
  });
});
