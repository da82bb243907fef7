import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type SavedCustomerList, savedCustomerLists } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import { DomainError } from "@/lib/errors";
import { type ListFilter, listQueryString } from "./params";

type By = { staffId: number; storeId: number | null };

export function listSavedLists(db: Db, storeId: number): SavedCustomerList[] {
  return db.select().from(savedCustomerLists).where(eq(savedCustomerLists.storeId, storeId)).orderBy(asc(savedCustomerLists.name)).all();
}

/** Keeps a filter set under a name for one store; names are unique per store. */
export function saveList(db: Db, by: By, input: { storeId: number; name: string; filter: ListFilter }, now = Date.now()): SavedCustomerList {
  const taken = db
    .select({ id: savedCustomerLists.id })
    .from(savedCustomerLists)
    .where(and(eq(savedCustomerLists.storeId, input.storeId), eq(savedCustomerLists.name, input.name)))
    .get();
  if (taken) throw new DomainError("conflict", `There is already a list called "${input.name}" for this store.`, { name: ["Choose another name."] });
  const query = listQueryString(input.filter);
  const saved = db
    .insert(savedCustomerLists)
    .values({ storeId: input.storeId, name: input.name, query, createdBy: by.staffId, createdAt: now })
    .returning()
    .get();
  writeAudit(
    db,
    {
      staffId: by.staffId,
      storeId: by.storeId,
      action: "customer_list.save",
      detail: { listId: saved.id, listStoreId: input.storeId, name: input.name, query },
    },
    now,
  );
  return saved;
}

/** Deletes a saved list of the given store only: another store's list ID is "not found", not a leak. */
export function deleteSavedList(db: Db, by: By, input: { storeId: number; id: number }, now = Date.now()): void {
  const list = db
    .select()
    .from(savedCustomerLists)
    .where(and(eq(savedCustomerLists.id, input.id), eq(savedCustomerLists.storeId, input.storeId)))
    .get();
  if (!list) throw new DomainError("not_found", "That saved list no longer exists.");
  db.delete(savedCustomerLists).where(eq(savedCustomerLists.id, list.id)).run();
  writeAudit(
    db,
    {
      staffId: by.staffId,
      storeId: by.storeId,
      action: "customer_list.delete",
      detail: { listId: list.id, listStoreId: list.storeId, name: list.name, query: list.query },
    },
    now,
  );
}
