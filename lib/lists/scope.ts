import type { Db } from "@/db/client";
import type { StaffIdentity } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";
import { getStore } from "@/lib/stores/stores";

/**
 * The store whose customer list this staff member may see: a manager their own (asking for another
 * is forbidden, not silently swapped), head office the one they pick, an associate none.
 */
export function listStoreFor(db: Db, staff: StaffIdentity, requested: number | undefined): number {
  if (staff.role === "manager") {
    if (staff.storeId === null) throw new DomainError("forbidden", "Your account has no store.");
    if (requested !== undefined && requested !== staff.storeId) throw new DomainError("forbidden", "You can see only your own store's customers.");
    return staff.storeId;
  }
  if (staff.role !== "hq") throw new DomainError("forbidden", "Customer lists are for store managers and head office.");
  if (requested === undefined) throw new DomainError("invalid_input", "Pick a store.");
  if (!getStore(db, requested)) throw new DomainError("unknown_store", "There is no such store.");
  return requested;
}
