import bcrypt from "bcryptjs";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { staff } from "@/db/schema";
import { DomainError } from "@/lib/errors";

export const MAX_PIN_FAILURES = 5;
export const PIN_LOCKOUT_MS = 15 * 60 * 1000;

export type PinCheck = { ok: true } | { ok: false; reason: "wrong"; attemptsLeft: number } | { ok: false; reason: "locked"; until: number };

/**
 * PINs are short, so guesses are capped per staff member, in the database, surviving restarts.
 * Each attempt is counted in one UPDATE before the slow hash comparison, so attempts made at the
 * same moment cannot all see the same count: the one that reaches the limit locks the account at
 * once, and a right PIN then unlocks it again.
 */
export async function checkStaffPin(db: Db, staffId: number, storeId: number, pin: string, now = Date.now()): Promise<PinCheck> {
  const row = db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.homeStoreId, storeId)))
    .get();
  if (!row || !row.active || row.role !== "associate" || !row.pinHash) throw new DomainError("not_found", "That person cannot unlock this tablet with a PIN.");
  const lapsed = sql`(${staff.pinLockedUntil} is not null and ${staff.pinLockedUntil} <= ${now})`;
  const failures = sql`(case when ${lapsed} then 0 else ${staff.pinFailures} end + 1)`;
  const claimed = db
    .update(staff)
    .set({
      pinFailures: failures,
      pinLockedUntil: sql`case when ${failures} >= ${MAX_PIN_FAILURES} then ${now + PIN_LOCKOUT_MS} else null end`,
    })
    .where(and(eq(staff.id, staffId), or(isNull(staff.pinLockedUntil), lapsed)))
    .returning({ failures: staff.pinFailures, lockedUntil: staff.pinLockedUntil })
    .get();
  if (!claimed) {
    const locked = db.select({ until: staff.pinLockedUntil }).from(staff).where(eq(staff.id, staffId)).get();
    return { ok: false, reason: "locked", until: locked?.until ?? now + PIN_LOCKOUT_MS };
  }
  if (await bcrypt.compare(pin, row.pinHash)) {
    db.update(staff).set({ pinFailures: 0, pinLockedUntil: null }).where(eq(staff.id, staffId)).run();
    return { ok: true };
  }
  if (claimed.lockedUntil !== null) return { ok: false, reason: "locked", until: claimed.lockedUntil };
  return { ok: false, reason: "wrong", attemptsLeft: MAX_PIN_FAILURES - claimed.failures };
}

function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

export async function setStaffPin(db: Db, staffId: number, pin: string): Promise<void> {
  if (!isValidPin(pin)) throw new DomainError("invalid_input", "A PIN is 4 to 8 digits.", { pin: ["A PIN is 4 to 8 digits."] });
  const pinHash = await bcrypt.hash(pin, 10);
  db.update(staff).set({ pinHash, pinFailures: 0, pinLockedUntil: null }).where(eq(staff.id, staffId)).run();
}

export function tabletStaff(db: Db, storeId: number): { id: number; name: string }[] {
  return db
    .select({ id: staff.id, name: staff.name, role: staff.role, active: staff.active, pinHash: staff.pinHash })
    .from(staff)
    .where(eq(staff.homeStoreId, storeId))
    .all()
    .filter((s) => s.active && s.role === "associate" && s.pinHash)
    .map(({ id, name }) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function listAssociates(db: Db, storeId: number | null): { id: number; name: string; email: string; hasPin: boolean }[] {
  return db
    .select({ id: staff.id, name: staff.name, email: staff.email, pinHash: staff.pinHash })
    .from(staff)
    .where(and(eq(staff.role, "associate"), eq(staff.active, true), storeId === null ? undefined : eq(staff.homeStoreId, storeId)))
    .orderBy(staff.name)
    .all()
    .map(({ pinHash, ...s }) => ({ ...s, hasPin: pinHash !== null }));
}
