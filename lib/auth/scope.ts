import type { Db } from "@/db/client";
import { type ProfileAccess, checkProfileAccess, survivorOf } from "@/lib/customers/access";
import { isStoreCustomer } from "@/lib/lists/query";
import { DomainError } from "@/lib/errors";
import type { StaffIdentity } from "./staff";

/*
 * What an action may touch, declared once beside it and checked before its handler runs:
 * - chain: anything in the chain; head office only.
 * - store: one store's data; its manager, its own associates, or head office.
 * - profile: one customer; see checkProfileAccess (lookup grant, own book, own store, head office).
 * - customers: several customers acted on together (a merge pair, a bulk change); a manager only
 *   when every one of them is a customer of their store, head office always.
 * - own: the caller's own things (their follow-up, their note); the domain function checks the owner.
 */

export function assertChain(staff: StaffIdentity): void {
  if (staff.role !== "hq") throw new DomainError("forbidden", "Only head office can do this.");
}

export function assertStore(staff: StaffIdentity, storeId: number): void {
  if (staff.role === "hq") return;
  if (staff.storeId !== null && staff.storeId === storeId) return;
  throw new DomainError("forbidden", "You can act on your own store only.");
}

export function assertProfile(
  db: Db,
  secret: string,
  staff: StaffIdentity,
  profileId: number,
  grant: string | null | undefined,
): Extract<ProfileAccess, { allowed: true }> {
  const access = checkProfileAccess(db, secret, staff, profileId, grant);
  if (!access.allowed) throw new DomainError("forbidden");
  return access;
}

/** Refuses the whole call, naming nobody, when any of the customers is outside the manager's store. */
export function assertCustomers(db: Db, staff: StaffIdentity, profileIds: readonly number[]): void {
  if (staff.role === "hq") return;
  const storeId = staff.storeId;
  if (staff.role !== "manager" || storeId === null) throw new DomainError("forbidden");
  if (!profileIds.every((id) => isStoreCustomer(db, storeId, survivorOf(db, id)))) {
    throw new DomainError("forbidden", "Every customer must shop at your store; ask head office for anyone wider.");
  }
}
