import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staff } from "@/db/schema";
import { seedBasics } from "@/lib/test/factories";
import { MAX_PIN_FAILURES, PIN_LOCKOUT_MS, checkStaffPin, setStaffPin, tabletStaff } from "./pin";
import { issueTabletCookie, issueUnlockToken, verifyTabletCookie, verifyUnlockToken } from "./tablet";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let samId: number;
databaseEachTest(async (fresh) => {
  db = fresh;
  seedBasics(db);
  const passwordHash = await bcrypt.hash("pw", 4);
  samId = db.insert(staff).values({ email: "sam@x", name: "Sam", role: "associate", homeStoreId: 1, passwordHash }).returning().get().id;
  db.insert(staff).values({ email: "mo@x", name: "Mo", role: "manager", homeStoreId: 1, passwordHash }).run();
  await setStaffPin(db, samId, "1234");
});

describe("PIN unlock", () => {
  it("accepts the right PIN and resets the failure count", async () => {
    expect(await checkStaffPin(db, samId, 1, "9999")).toEqual({ ok: false, reason: "wrong", attemptsLeft: MAX_PIN_FAILURES - 1 });
    expect(await checkStaffPin(db, samId, 1, "1234")).toEqual({ ok: true });
    expect(db.select().from(staff).where(eq(staff.id, samId)).get()!.pinFailures).toBe(0);
  });

  it("locks out after repeated wrong PINs, even the right one, until the lock-out ends", async () => {
    const now = 1_000_000;
    for (let i = 1; i < MAX_PIN_FAILURES; i++) expect(await checkStaffPin(db, samId, 1, "0000", now)).toMatchObject({ reason: "wrong" });
    expect(await checkStaffPin(db, samId, 1, "0000", now)).toEqual({ ok: false, reason: "locked", until: now + PIN_LOCKOUT_MS });
    expect(await checkStaffPin(db, samId, 1, "1234", now + 1000)).toMatchObject({ reason: "locked" });
    expect(await checkStaffPin(db, samId, 1, "1234", now + PIN_LOCKOUT_MS + 1)).toEqual({ ok: true });
  });

  it("counts each attempt before checking it, so 40 wrong PINs at once lock at the limit", async () => {
    const now = 2_000_000;
    const results = await Promise.all(Array.from({ length: 40 }, () => checkStaffPin(db, samId, 1, "0000", now)));
    const wrong = results.filter((r) => !r.ok && r.reason === "wrong");
    expect(wrong.map((r) => (r.ok || r.reason !== "wrong" ? null : r.attemptsLeft)).sort()).toEqual([1, 2, 3, 4].slice(0, MAX_PIN_FAILURES - 1));
    expect(results.filter((r) => !r.ok && r.reason === "locked")).toHaveLength(40 - (MAX_PIN_FAILURES - 1));
    // Locked now, even for the right PIN.
    expect(await checkStaffPin(db, samId, 1, "1234", now + 1)).toMatchObject({ reason: "locked" });
  });

  it("works only on a tablet of the associate's own store", async () => {
    await expect(checkStaffPin(db, samId, 2, "1234")).rejects.toThrow(/cannot unlock/);
    expect(tabletStaff(db, 1).map((s) => s.name)).toEqual(["Sam"]);
    expect(tabletStaff(db, 2)).toEqual([]);
  });

  it("rejects PINs that are not 4 to 8 digits", async () => {
    await expect(setStaffPin(db, samId, "12a4")).rejects.toThrow(/4 to 8 digits/);
  });
});

describe("tablet cookie and unlock token", () => {
  const secret = "s".repeat(40);
  it("verify only what they issued, until they expire", () => {
    const cookie = issueTabletCookie(secret, 7, 0);
    expect(verifyTabletCookie(secret, cookie, 1000)).toBe(7);
    expect(verifyTabletCookie(secret, cookie.replace(/^7/, "8"), 1000)).toBeNull();
    expect(verifyTabletCookie("t".repeat(40), cookie, 1000)).toBeNull();
    expect(verifyTabletCookie(secret, cookie, 13 * 3600 * 1000)).toBeNull();
    const token = issueUnlockToken(secret, 3, 0);
    expect(verifyUnlockToken(secret, token, 1000)).toBe(3);
    expect(verifyUnlockToken(secret, token, 120_000)).toBeNull();
  });
});
