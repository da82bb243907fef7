import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { addStaff, seedBasics } from "@/lib/test/factories";
import { listAssociates, setStaffPin } from "./pin";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  addStaff(db, [
    { email: "a@x", name: "Ada", role: "associate", homeStoreId: 1 },
    { email: "b@x", name: "Ben", role: "associate", homeStoreId: 2 },
    { email: "m@x", name: "Mo", role: "manager", homeStoreId: 1 },
    { email: "c@x", name: "Cy", role: "associate", homeStoreId: 1, active: false },
  ]);
});

describe("listAssociates", () => {
  it("lists a store's active associates, with whether they have a PIN", async () => {
    await setStaffPin(db, 1, "1357");
    expect(listAssociates(db, 1)).toEqual([{ id: 1, name: "Ada", email: "a@x", hasPin: true }]);
    expect(listAssociates(db, null).map((s) => s.name)).toEqual(["Ada", "Ben"]);
    expect(listAssociates(db, -1)).toEqual([]);
  });
});
