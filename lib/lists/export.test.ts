import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { eq } from "drizzle-orm";
import { auditLog, profiles, staff } from "@/db/schema";
import { checkProfileAccess } from "@/lib/customers/access";
import type { StaffIdentity } from "@/lib/auth/staff";

import { consentedContact, exportCustomerList } from "./export";
import { deleteSavedList, listSavedLists, saveList } from "./saved";
import { listStoreFor } from "./scope";
import { LDN, LDS, NOW, seedListStores } from "./test-data";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let ids: Record<string, number>;
let manager: StaffIdentity;
databaseEachTest((fresh) => {
  db = fresh;
  ({ ids } = seedListStores(db));
  const row = db.insert(staff).values({ email: "m@x", name: "Morgan", role: "manager", homeStoreId: LDN, passwordHash: "x" }).returning().get();
  manager = { id: row.id, name: row.name, email: row.email, role: "manager", storeId: LDN };
});

const audits = (action: string) =>
  db
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.action === action);

describe("CSV export", () => {
  it("leaves out customers with no channel granted and each contact detail without its channel's consent", () => {
    const csv = [...exportCustomerList(db, { staffId: manager.id, storeId: LDN }, LDN, { sort: "name_asc" }, NOW)].join("");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("profile_id,first_name,last_name,tier,last_purchase,orders,spend_gbp,email,phone,city,postcode");
    // Cat granted nothing: not exported. Ann: email and post; Bob: sms only (no phone on file); Dan: email; Fay: post.
    expect(lines.slice(1).map((l) => l.split(",").slice(1, 3).join(" "))).toEqual(["Ann Archer", "Bob Baker", "Dan Dale", "Fay Ford"]);
    const byName = Object.fromEntries(lines.slice(1).map((l) => [l.split(",")[1], l.split(",")]));
    expect(byName.Ann[7]).toBe("ann@example.com");
    expect(byName.Ann.slice(3, 7)).toEqual(["Gold", "2026-02-09", "2", "89.00"]);
    expect(byName.Bob[7]).toBe("");
    expect(byName.Dan[7]).toBe("dan@example.com");
    expect(byName.Fay[7]).toBe("");
  });

  it("pages through the whole filtered list and audits who, which store, the filter and the row count", () => {
    const chunks = [...exportCustomerList(db, { staffId: manager.id, storeId: LDN }, LDN, { sort: "spend_desc", consent: "email" }, NOW)];
    expect(chunks.join("").trimEnd().split("\r\n")).toHaveLength(3);
    const [entry] = audits("customer_list.export");
    expect(entry).toMatchObject({
      staffId: manager.id,
      storeId: LDN,
      detail: { listStoreId: LDN, filter: "consent=email&sort=spend_desc", rows: 2, completed: true },
    });
  });

  it("audits a cancelled download with what was written", () => {
    const rows = exportCustomerList(db, { staffId: manager.id, storeId: LDN }, LDN, { sort: "name_asc" }, NOW);
    rows.next();
    rows.return();
    expect(audits("customer_list.export")[0].detail).toMatchObject({ rows: 0, completed: false });
  });

  it("applies the rule channel by channel", () => {
    const granted = (channels: string[]) => Object.fromEntries(channels.map((c) => [c, { granted: true, at: 0, source: "pos" }]));
    const contact = { email: "a@b.c", phone: "+447700900000", city: "Leeds", postcode: "LS1 1AA" };
    expect(consentedContact({ ...contact, consents: null })).toBeNull();
    expect(consentedContact({ ...contact, consents: { email: { granted: false, at: 0, source: "pos" } } })).toBeNull();
    expect(consentedContact({ ...contact, consents: granted(["sms"]) })).toEqual({ email: null, phone: "+447700900000", city: null, postcode: null });
    expect(consentedContact({ ...contact, consents: granted(["email", "post"]) })).toEqual({ email: "a@b.c", phone: null, city: "Leeds", postcode: "LS1 1AA" });
  });
});

describe("saved lists", () => {
  it("saves a filter under a unique name per store, deletes it within the store only, and audits both", () => {
    const by = { staffId: manager.id, storeId: LDN };
    const saved = saveList(db, by, { storeId: LDN, name: "Lapsed gold", filter: { sort: "name_asc", tier: "Gold", notSeen: 90 } });
    expect(saved.query).toBe("tier=Gold&notSeen=90&sort=name_asc");
    expect(() => saveList(db, by, { storeId: LDN, name: "Lapsed gold", filter: { sort: "name_asc" } })).toThrow(/already a list/);
    expect(listSavedLists(db, LDS)).toEqual([]);
    expect(() => deleteSavedList(db, by, { storeId: LDS, id: saved.id })).toThrow(/no longer exists/);
    deleteSavedList(db, by, { storeId: LDN, id: saved.id });
    expect(listSavedLists(db, LDN)).toEqual([]);
    expect(audits("customer_list.save")).toHaveLength(1);
    expect(audits("customer_list.delete")[0].detail).toMatchObject({ name: "Lapsed gold", listStoreId: LDN });
  });
});

describe("store scope", () => {
  const hq: StaffIdentity = { id: 99, name: "HQ", email: "hq@x", role: "hq", storeId: null };
  const associate: StaffIdentity = { id: 98, name: "Sam", email: "s@x", role: "associate", storeId: LDN };

  it("gives a manager their store, refuses another, asks head office to pick one, and refuses associates", () => {
    expect(listStoreFor(db, manager, undefined)).toBe(LDN);
    expect(() => listStoreFor(db, manager, LDS)).toThrow(/only your own store/);
    expect(listStoreFor(db, hq, LDS)).toBe(LDS);
    expect(() => listStoreFor(db, hq, undefined)).toThrow(/Pick a store/);
    expect(() => listStoreFor(db, hq, 999)).toThrow(/no such store/);
    expect(() => listStoreFor(db, associate, LDN)).toThrow(/managers and head office/);
  });

  it("lets a manager open their own store's customers directly, head office anyone, an associate no one", () => {
    expect(checkProfileAccess(db, "secret", manager, ids.ann, null)).toEqual({ allowed: true, via: "direct" });
    expect(checkProfileAccess(db, "secret", manager, ids.fay, null).allowed).toBe(true);
    expect(checkProfileAccess(db, "secret", manager, ids.eve, null).allowed).toBe(false);
    expect(checkProfileAccess(db, "secret", hq, ids.eve, null).allowed).toBe(true);
    // Ann's old ID, once merged into another profile, still opens for London's manager.
    const survivor = db.insert(profiles).values({ firstName: "Ann" }).returning().get().id;
    db.update(profiles).set({ mergedInto: survivor }).where(eq(profiles.id, ids.ann)).run();
    expect(checkProfileAccess(db, "secret", manager, ids.ann, null).allowed).toBe(true);
    expect(checkProfileAccess(db, "secret", associate, ids.ann, null).allowed).toBe(false);
  });
});
