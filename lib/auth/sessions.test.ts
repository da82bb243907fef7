import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staff, staffSessions, stores } from "@/db/schema";
import { seedBasics } from "@/lib/test/factories";
import { IDLE_GRACE_MS, endSession, endStaffSessions, sessionStaff, startSession } from "./sessions";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let samId: number;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  db.update(stores).set({ lockTimeoutSeconds: 60 }).where(eq(stores.id, 1)).run();
  samId = db.insert(staff).values({ email: "sam@x", name: "Sam", role: "associate", homeStoreId: 1, passwordHash: "x" }).returning().get().id;
});

const reasonOf = (id: string) => db.select({ r: staffSessions.endReason }).from(staffSessions).where(eq(staffSessions.id, id)).get()?.r;

describe("server-side sessions", () => {
  it("opens nothing once signed out or locked, though the cookie naming it would still be valid", () => {
    const a = startSession(db, samId, 1, 0);
    expect(sessionStaff(db, a, 1_000)?.name).toBe("Sam");
    endSession(db, a, "sign_out", 2_000);
    expect(sessionStaff(db, a, 3_000)).toBeNull();
    const b = startSession(db, samId, 1, 0);
    endSession(db, b, "lock", 1_000);
    expect(sessionStaff(db, b, 1_001)).toBeNull();
    expect(sessionStaff(db, "never-issued", 1)).toBeNull();
  });

  it("ends a session idle past its store's lock timeout, and keeps one in use alive", () => {
    const idle = startSession(db, samId, 1, 0);
    expect(sessionStaff(db, idle, 60_000 + IDLE_GRACE_MS + 1)).toBeNull();
    expect(reasonOf(idle)).toBe("idle");
    const busy = startSession(db, samId, 1, 0);
    for (let t = 50_000; t <= 500_000; t += 50_000) expect(sessionStaff(db, busy, t)?.id).toBe(samId);
  });

  it("ends every session of a disabled account, and a disabled account's session opens nothing", () => {
    const a = startSession(db, samId, 1, 0);
    const b = startSession(db, samId, null, 0);
    db.update(staff).set({ active: false }).where(eq(staff.id, samId)).run();
    expect(sessionStaff(db, b, 1)).toBeNull();
    expect(endStaffSessions(db, samId, "disabled", 2)).toBe(2);
    expect([reasonOf(a), reasonOf(b)]).toEqual(["disabled", "disabled"]);
  });
});
