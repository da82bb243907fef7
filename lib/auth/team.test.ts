import bcrypt from "bcryptjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staff } from "@/db/schema";
import { seedBasics, tempDatabase } from "@/lib/test/factories";
import { listAssociates, setStaffPin } from "./pin";

let db: Db;
let cleanup: () => void;
beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  seedBasics(db);
  const passwordHash = bcrypt.hashSync("pw", 4);
  db.insert(staff)
    .values([
      { email: "a@x", name: "Ada", role: "associate", homeStoreId: 1, passwordHash },
      { email: "b@x", name: "Ben", role: "associate", homeStoreId: 2, passwordHash },
      { email: "m@x", name: "Mo", role: "manager", homeStoreId: 1, passwordHash },
      { email: "c@x", name: "Cy", role: "associate", homeStoreId: 1, passwordHash, active: false },
    ])
    .run();
});
afterEach(() => cleanup());

describe("listAssociates", () => {
  it("lists a store's active associates, with whether they have a PIN", async () => {
    await setStaffPin(db, 1, "1357");
    expect(listAssociates(db, 1)).toEqual([{ id: 1, name: "Ada", email: "a@x", hasPin: true }]);
    expect(listAssociates(db, null).map((s) => s.name)).toEqual(["Ada", "Ben"]);
    expect(listAssociates(db, -1)).toEqual([]);
  });
});
