import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type SessionEndReason, staff, staffSessions, stores } from "@/db/schema";
import { columnsOf } from "@/db/columns";
import type { StaffIdentity } from "./staff";

/** A tablet that has not locked itself by the store's timeout is treated as left unattended; this much later the server ends it too. */
export const IDLE_GRACE_MS = 30_000;
const DEFAULT_IDLE_SECONDS = 120;
/** Seen-at is written at most this often per session: a lookup does not pay for a write each time. */
const TOUCH_EVERY_MS = 15_000;

export function startSession(db: Db, staffId: number, storeId: number | null, now = Date.now()): string {
  const id = randomBytes(24).toString("base64url");
  db.insert(staffSessions).values({ id, staffId, storeId, createdAt: now, lastSeenAt: now }).run();
  return id;
}

export function endSession(db: Db, id: string, reason: SessionEndReason, now = Date.now()): void {
  db.update(staffSessions)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(staffSessions.id, id), isNull(staffSessions.endedAt)))
    .run();
}

/** Every open session of one staff member, wherever it is: their account was disabled. */
export function endStaffSessions(db: Db, staffId: number, reason: SessionEndReason, now = Date.now()): number {
  return db
    .update(staffSessions)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.endedAt)))
    .run().changes;
}

const sessionQuery = perConnection((db: Db) =>
  db
    .select({
      endedAt: staffSessions.endedAt,
      lastSeenAt: staffSessions.lastSeenAt,
      idleSeconds: sql<number>`coalesce(${stores.lockTimeoutSeconds}, ${DEFAULT_IDLE_SECONDS})`,
      ...columnsOf(staff, "id", "name", "email", "role", "active"),
      storeId: staff.homeStoreId,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .leftJoin(stores, eq(stores.id, staffSessions.storeId))
    .where(eq(staffSessions.id, sql.placeholder("id")))
    .prepare(),
);

/**
 * The staff member behind a live session, or null: the session ended, sat idle past its store's
 * lock timeout (it is ended now), or the account is disabled. A live session is marked as seen.
 */
export function sessionStaff(db: Db, sessionId: string, now = Date.now()): StaffIdentity | null {
  const row = sessionQuery(db).get({ id: sessionId });
  if (!row || row.endedAt !== null || !row.active) return null;
  if (now - row.lastSeenAt > row.idleSeconds * 1000 + IDLE_GRACE_MS) {
    endSession(db, sessionId, "idle", now);
    return null;
  }
  if (now - row.lastSeenAt > TOUCH_EVERY_MS) db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, sessionId)).run();
  return { id: row.id, name: row.name, email: row.email, role: row.role, storeId: row.storeId };
}
