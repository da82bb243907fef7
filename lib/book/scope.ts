import { type SQLWrapper, and, eq, sql } from "drizzle-orm";
import { unindexed } from "@/db/dialect";
import type { Db } from "@/db/client";
import { customerAssignments, orders, profiles, staff } from "@/db/schema";
import type { StaffIdentity } from "@/lib/auth/staff";
import { displayName } from "@/lib/customers/display";
import { DomainError } from "@/lib/errors";

/** Who may run a store's client book: its manager, or head office for any store. */
export function assertManagesStore(actor: StaffIdentity, storeId: number): void {
  if (actor.role === "hq") return;
  if (actor.role === "manager" && actor.storeId === storeId) return;
  throw new DomainError("forbidden", "You can look after the client book of your own store only.");
}

/** Books and follow-ups belong to a store's active associates only. */
export function requireStoreAssociate(db: Db, storeId: number, staffId: number): { id: number; name: string } {
  const row = db
    .select({ id: staff.id, name: staff.name })
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.role, "associate"), eq(staff.active, true), eq(staff.homeStoreId, storeId)))
    .get();
  if (!row) throw new DomainError("invalid_input", "Choose an active associate of this store.");
  return row;
}

/**
 * Whether the profile has an order from the store. The unary plus keeps the planner off the
 * (store, placed_at) index, which a store without statistics would otherwise walk order by order:
 * one person's few orders are the rows to read.
 */
export const boughtInStore = (profileId: SQLWrapper | number, storeId: number) =>
  sql`exists (select 1 from ${orders} where ${orders.profileId} = ${profileId} and ${unindexed(orders.storeId)} = ${storeId})`;

/** A store's customers are the people who bought there or are already in one of its books. */
export function isStoreCustomer(db: Db, storeId: number, profileId: number): boolean {
  const row = db.get<{ yes: number }>(sql`
    select ${boughtInStore(profileId, storeId)}
        or exists(select 1 from ${customerAssignments} where ${customerAssignments.profileId} = ${profileId} and ${customerAssignments.storeId} = ${storeId}) as yes`);
  return row.yes === 1;
}

export type CustomerRef = { profileId: number; name: string; consents: NonNullable<(typeof profiles.$inferSelect)["consents"]> };

/** The profile behind an ID, or why it cannot be acted on. Merged-away IDs are refused, not followed, so the result row names what was asked for. */
export function customerOrRefusal(db: Db, profileId: number): { customer: CustomerRef } | { refusal: string } {
  const row = db
    .select({ firstName: profiles.firstName, lastName: profiles.lastName, mergedInto: profiles.mergedInto, consents: profiles.consents })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .get();
  if (!row) return { refusal: "No such customer." };
  if (row.mergedInto !== null) return { refusal: `This profile was merged into customer ${row.mergedInto}; use that one.` };
  return { customer: { profileId, name: displayName(row), consents: row.consents ?? {} } };
}

/**
 * The store's customer behind an ID, or a refusal that names nobody: a list of IDs sent by hand
 * must not learn who another store's customers are.
 */
export function storeCustomerOrRefusal(db: Db, storeId: number, store: string, profileId: number): { customer: CustomerRef } | { refusal: string } {
  const found = customerOrRefusal(db, profileId);
  if ("refusal" in found) return found;
  if (!isStoreCustomer(db, storeId, profileId)) return { refusal: `Customer ${profileId} has not bought at ${store}.` };
  return found;
}
