import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staff } from "@/db/schema";
import { activeStaff, verifyStaffPassword } from "@/lib/auth/staff";
import { seedBasics } from "@/lib/test/factories";
import { changeStaffRole, createStaff, listStaff, newStaffSchema, setStaffActive, staffChangeSchema } from "./staff";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let hqId: number;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  hqId = db
    .insert(staff)
    .values({ email: "hq@x.test", name: "Harper", role: "hq", passwordHash: bcrypt.hashSync("pw", 4) })
    .returning()
    .get().id;
});

const fieldErrors = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("new staff validation", () => {
  it("needs a home store for associates and managers and refuses one for head office", () => {
    const base = { name: "Ria", email: "ria@x.test", password: "" };
    expect(fieldErrors(newStaffSchema.safeParse({ ...base, role: "associate", homeStoreId: null }))).toEqual({
      homeStoreId: "Associates and managers need a home store.",
    });
    expect(fieldErrors(newStaffSchema.safeParse({ ...base, role: "manager", homeStoreId: null }))).toEqual({
      homeStoreId: "Associates and managers need a home store.",
    });
    expect(fieldErrors(newStaffSchema.safeParse({ ...base, role: "hq", homeStoreId: 1 }))).toEqual({ homeStoreId: "Head office staff have no home store." });
    expect(newStaffSchema.safeParse({ ...base, role: "hq", homeStoreId: null }).success).toBe(true);
  });

  it("checks the email and a chosen password, and lower-cases the email", () => {
    const r = newStaffSchema.safeParse({ name: " ", email: "not-an-email", role: "associate", homeStoreId: 1, password: "short" });
    expect(Object.keys(fieldErrors(r)).sort()).toEqual(["email", "name", "password"]);
    expect(newStaffSchema.parse({ name: "Ria", email: " Ria@X.Test ", role: "associate", homeStoreId: 1, password: "" }).email).toBe("ria@x.test");
  });
});

describe("createStaff", () => {
  it("generates a password shown once that signs the new associate in, and refuses a taken email", async () => {
    const created = await createStaff(db, newStaffSchema.parse({ name: "Ria", email: "ria@x.test", role: "associate", homeStoreId: 1, password: "" }));
    expect(created.generated).toBe(true);
    expect(created.password).toMatch(/^[A-Za-z2-9]{14}$/);
    expect(await verifyStaffPassword(db, "RIA@x.test", created.password)).toMatchObject({ id: created.id, role: "associate", storeId: 1 });
    await expect(
      createStaff(db, newStaffSchema.parse({ name: "Ria 2", email: "ria@x.test", role: "manager", homeStoreId: 2, password: "" })),
    ).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { email: ["Someone already has that email address."] },
    });
  });

  it("uses the password head office chose and refuses a store that does not exist", async () => {
    const created = await createStaff(
      db,
      newStaffSchema.parse({ name: "Mo", email: "mo@x.test", role: "manager", homeStoreId: 2, password: "a-long-password" }),
    );
    expect(created).toMatchObject({ generated: false, password: "a-long-password" });
    expect(await verifyStaffPassword(db, "mo@x.test", "a-long-password")).not.toBeNull();
    await expect(
      createStaff(db, newStaffSchema.parse({ name: "Zed", email: "zed@x.test", role: "associate", homeStoreId: 99, password: "" })),
    ).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { homeStoreId: ["That store does not exist."] },
    });
  });
});

describe("disabling and role changes", () => {
  it("locks a disabled member out at once and lets them back when enabled", async () => {
    const { id, password } = await createStaff(db, newStaffSchema.parse({ name: "Ria", email: "ria@x.test", role: "associate", homeStoreId: 1, password: "" }));
    expect(setStaffActive(db, hqId, id, false)).toEqual({ name: "Ria", changed: true });
    expect(activeStaff(db, id)).toBeNull();
    expect(await verifyStaffPassword(db, "ria@x.test", password)).toBeNull();
    expect(setStaffActive(db, hqId, id, false).changed).toBe(false);
    setStaffActive(db, hqId, id, true);
    expect(activeStaff(db, id)).toMatchObject({ id, role: "associate" });
  });

  it("refuses to let head office disable or demote itself", () => {
    expect(() => setStaffActive(db, hqId, hqId, false)).toThrow(/cannot disable your own account/);
    expect(() => changeStaffRole(db, hqId, staffChangeSchema.parse({ staffId: hqId, role: "manager", homeStoreId: 1 }))).toThrow(/cannot change the role/);
    expect(activeStaff(db, hqId)).toMatchObject({ role: "hq" });
  });

  it("moves an associate to manager of another store, reporting before and after", async () => {
    const { id } = await createStaff(db, newStaffSchema.parse({ name: "Ria", email: "ria@x.test", role: "associate", homeStoreId: 1, password: "" }));
    expect(changeStaffRole(db, hqId, staffChangeSchema.parse({ staffId: id, role: "manager", homeStoreId: 2 }))).toEqual({
      before: { role: "associate", homeStoreId: 1 },
      after: { role: "manager", homeStoreId: 2 },
    });
    expect(activeStaff(db, id)).toMatchObject({ role: "manager", storeId: 2 });
    expect(() => changeStaffRole(db, hqId, staffChangeSchema.parse({ staffId: 999, role: "manager", homeStoreId: 2 }))).toThrow(/No staff member/);
  });
});

describe("listStaff", () => {
  it("filters by store, head office (no store), role and active", async () => {
    const mk = (name: string, role: "associate" | "manager", homeStoreId: number) =>
      createStaff(db, newStaffSchema.parse({ name, email: `${name.toLowerCase()}@x.test`, role, homeStoreId, password: "" }));
    const ada = await mk("Ada", "associate", 1);
    await mk("Ben", "associate", 2);
    await mk("Cy", "manager", 1);
    setStaffActive(db, hqId, ada.id, false);
    const names = (f: Parameters<typeof listStaff>[1]) => listStaff(db, f).map((s) => s.name);
    expect(names({})).toEqual(["Ada", "Ben", "Cy", "Harper"]);
    expect(names({ storeId: 1 })).toEqual(["Ada", "Cy"]);
    expect(names({ storeId: "none" })).toEqual(["Harper"]);
    expect(names({ role: "associate" })).toEqual(["Ada", "Ben"]);
    expect(names({ storeId: 1, active: true })).toEqual(["Cy"]);
    expect(names({ active: false })).toEqual(["Ada"]);
    expect(listStaff(db, { storeId: 2 })[0]).toMatchObject({ name: "Ben", storeName: "Leeds Briggate", active: true, hasPin: false });
  });
});
