import { randomInt } from "node:crypto";
import bcrypt from "bcryptjs";
import { and, asc, eq, isNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { ROLES, type Role, staff, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";

const MIN_PASSWORD_LENGTH = 10;
const GENERATED_PASSWORD_LENGTH = 14;
/** No 0/O, 1/l/I: the password is read off a screen and typed on a tablet. */
const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

const storeId = z.number({ error: "Choose a home store." }).int().positive().nullable();

/** Associates and managers belong to one store; head office to none. Checked on create and on edit. */
function storeMatchesRole(value: { role: Role; homeStoreId: number | null }, ctx: z.RefinementCtx) {
  if (value.role === "hq" && value.homeStoreId !== null)
    ctx.addIssue({ code: "custom", path: ["homeStoreId"], message: "Head office staff have no home store." });
  if (value.role !== "hq" && value.homeStoreId === null)
    ctx.addIssue({ code: "custom", path: ["homeStoreId"], message: "Associates and managers need a home store." });
}

export const newStaffSchema = z
  .object({
    name: z.string().trim().min(1, "Enter their name.").max(80, "Keep the name under 80 characters."),
    email: z.string().trim().toLowerCase().pipe(z.email("Enter a work email address.")),
    role: z.enum(ROLES, { error: "Choose a role." }),
    homeStoreId: storeId,
    /** Empty: a password is generated and shown once. */
    password: z.union([
      z.literal(""),
      z.string().min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters, or leave it empty to generate one.`).max(200),
    ]),
  })
  .superRefine(storeMatchesRole);

export const staffChangeSchema = z
  .object({ staffId: z.number().int().positive(), role: z.enum(ROLES, { error: "Choose a role." }), homeStoreId: storeId })
  .superRefine(storeMatchesRole);

export type NewStaff = z.output<typeof newStaffSchema>;
export type StaffChange = z.output<typeof staffChangeSchema>;

function generatePassword(): string {
  return Array.from({ length: GENERATED_PASSWORD_LENGTH }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");
}

function requireStore(db: Db, id: number | null): void {
  if (id !== null && !db.select({ id: stores.id }).from(stores).where(eq(stores.id, id)).get()) {
    throw new DomainError("invalid_input", "Please check the highlighted fields.", { homeStoreId: ["That store does not exist."] });
  }
}

/** Creates the account; the password (given or generated) is returned so head office can hand it over once. */
export async function createStaff(db: Db, input: NewStaff): Promise<{ id: number; password: string; generated: boolean }> {
  requireStore(db, input.homeStoreId);
  if (db.select({ id: staff.id }).from(staff).where(eq(staff.email, input.email)).get()) {
    throw new DomainError("conflict", "Someone already has that email address.", { email: ["Someone already has that email address."] });
  }
  const generated = input.password === "";
  const password = generated ? generatePassword() : input.password;
  const row = db
    .insert(staff)
    .values({ name: input.name, email: input.email, role: input.role, homeStoreId: input.homeStoreId, passwordHash: await bcrypt.hash(password, 10) })
    .returning({ id: staff.id })
    .get();
  return { id: row.id, password, generated };
}

function getStaffRow(db: Db, id: number) {
  const row = db
    .select({ id: staff.id, name: staff.name, role: staff.role, homeStoreId: staff.homeStoreId, active: staff.active })
    .from(staff)
    .where(eq(staff.id, id))
    .get();
  if (!row) throw new DomainError("not_found", "No staff member with that ID.");
  return row;
}

/** Head office cannot demote or disable itself: the chain must never be left without anyone to undo it. */
function refuseSelf(actorId: number, targetId: number, what: string): void {
  if (actorId === targetId) throw new DomainError("forbidden", `You cannot ${what} your own account. Ask another head office colleague.`);
}

export function changeStaffRole(db: Db, actorId: number, change: StaffChange) {
  const before = getStaffRow(db, change.staffId);
  if (before.role !== change.role) refuseSelf(actorId, change.staffId, "change the role of");
  requireStore(db, change.homeStoreId);
  db.update(staff).set({ role: change.role, homeStoreId: change.homeStoreId }).where(eq(staff.id, change.staffId)).run();
  return { before: { role: before.role, homeStoreId: before.homeStoreId }, after: { role: change.role, homeStoreId: change.homeStoreId } };
}

/** A disabled account is refused on its next request: every page and action re-reads staff.active. */
export function setStaffActive(db: Db, actorId: number, staffId: number, active: boolean): { name: string; changed: boolean } {
  const before = getStaffRow(db, staffId);
  if (!active) refuseSelf(actorId, staffId, "disable");
  if (before.active !== active) db.update(staff).set({ active, pinFailures: 0, pinLockedUntil: null }).where(eq(staff.id, staffId)).run();
  return { name: before.name, changed: before.active !== active };
}

export type StaffFilter = { storeId?: number | "none"; role?: Role; active?: boolean };

export type StaffRow = {
  id: number;
  name: string;
  email: string;
  role: Role;
  homeStoreId: number | null;
  storeName: string | null;
  active: boolean;
  hasPin: boolean;
};

export function listStaff(db: Db, filter: StaffFilter = {}): StaffRow[] {
  const where: SQL[] = [];
  if (filter.storeId === "none") where.push(isNull(staff.homeStoreId));
  else if (filter.storeId !== undefined) where.push(eq(staff.homeStoreId, filter.storeId));
  if (filter.role) where.push(eq(staff.role, filter.role));
  if (filter.active !== undefined) where.push(eq(staff.active, filter.active));
  return db
    .select({
      id: staff.id,
      name: staff.name,
      email: staff.email,
      role: staff.role,
      homeStoreId: staff.homeStoreId,
      storeName: stores.name,
      active: staff.active,
      pinHash: staff.pinHash,
    })
    .from(staff)
    .leftJoin(stores, eq(stores.id, staff.homeStoreId))
    .where(and(...where))
    .orderBy(asc(staff.name), asc(staff.id))
    .all()
    .map(({ pinHash, ...s }) => ({ ...s, hasPin: pinHash !== null }));
}
