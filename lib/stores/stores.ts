import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Store, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";

export function getStore(db: Db, id: number | null): Store | null {
  if (id === null) return null;
  return db.select().from(stores).where(eq(stores.id, id)).get() ?? null;
}

export function storeName(db: Db, storeId: number): string {
  const row = db.select({ name: stores.name }).from(stores).where(eq(stores.id, storeId)).get();
  if (!row) throw new DomainError("unknown_store");
  return row.name;
}

/** Every store by name, for store pickers and for naming a rule's stores. */
export function listStoreNames(db: Db): { id: number; code: string; name: string }[] {
  return db.select({ id: stores.id, code: stores.code, name: stores.name }).from(stores).orderBy(asc(stores.name)).all();
}
