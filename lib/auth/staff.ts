import bcrypt from "bcryptjs";
import { eq, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type Role, staff } from "@/db/schema";

export type StaffIdentity = { id: number; name: string; email: string; role: Role; storeId: number | null };

/** A dummy hash so an unknown email costs as much as a wrong password and the two cannot be told apart. */
const TIMING_DUMMY_HASH = "$2b$10$C7fvwosR2B8i47fKWAWJSe5fyMiKe1D.Pb9iijdpyA7D2CaJb9QMS";

export async function verifyStaffPassword(db: Db, email: string, password: string): Promise<StaffIdentity | null> {
  const row = db.select().from(staff).where(eq(staff.email, email.trim().toLowerCase())).get();
  const ok = await bcrypt.compare(password, row?.passwordHash ?? TIMING_DUMMY_HASH);
  if (!row || !ok || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role, storeId: row.homeStoreId };
}

/** The staff member as the database knows them now: a disabled account or changed role takes effect at once. */
const activeStaffQuery = perConnection(prepareActiveStaff);

function prepareActiveStaff(db: Db) {
  return db
    .select({ id: staff.id, name: staff.name, email: staff.email, role: staff.role, storeId: staff.homeStoreId, active: staff.active })
    .from(staff)
    .where(eq(staff.id, sql.placeholder("id")))
    .prepare();
}

export function activeStaff(db: Db, id: number): StaffIdentity | null {
  // Every request asks this: prepare it once per connection.
  const query = activeStaffQuery(db);
  const row = query.get({ id });
  if (!row || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role, storeId: row.storeId };
}

/** The home store of the account behind an email, or null (head office, or no such account). */
export function homeStoreIdOf(db: Db, email: string): number | null {
  return db.select({ storeId: staff.homeStoreId }).from(staff).where(eq(staff.email, email.trim().toLowerCase())).get()?.storeId ?? null;
}
