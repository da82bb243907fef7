import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staff, stores } from "@/db/schema";
import { homeStoreIdOf } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";
import { seedBasics } from "@/lib/test/factories";
import { getStore, listStoreNames, storeName } from "./stores";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
databaseEachTest((fresh) => seedBasics((db = fresh)));

describe("stores", () => {
  it("lists every store by name for the pickers, and names one", () => {
    db.insert(stores).values({ code: "ABD", name: "Aberdeen Union St", city: "Aberdeen" }).run();
    expect(listStoreNames(db)).toEqual([
      { id: 3, code: "ABD", name: "Aberdeen Union St" },
      { id: 2, code: "LDS", name: "Leeds Briggate" },
      { id: 1, code: "LDN", name: "London Regent St" },
    ]);
    expect(storeName(db, 2)).toBe("Leeds Briggate");
    expect(getStore(db, 1)?.code).toBe("LDN");
    expect(getStore(db, null)).toBeNull();
    expect(getStore(db, 99)).toBeNull();
  });

  it("refuses to name a store that does not exist", () => {
    expect(() => storeName(db, 99)).toThrow(DomainError);
  });

  it("finds the home store of a staff account by email, whatever its case and spaces", () => {
    const passwordHash = bcrypt.hashSync("pw", 4);
    db.insert(staff)
      .values([
        { email: "ada@x.test", name: "Ada", role: "associate", homeStoreId: 2, passwordHash },
        { email: "hq@x.test", name: "Hal", role: "hq", homeStoreId: null, passwordHash },
      ])
      .run();
    expect(homeStoreIdOf(db, " Ada@X.test ")).toBe(2);
    expect(homeStoreIdOf(db, "hq@x.test")).toBeNull();
    expect(homeStoreIdOf(db, "nobody@x.test")).toBeNull();
  });
});
