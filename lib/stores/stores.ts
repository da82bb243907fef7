import { asc, eq, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type Store, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";

/** Read by the app's layout on every page. */
const storeQuery = perConnection((db: Db) =>
  db
    .select()
    .from(stores)
    .where(eq(stores.id, sql.placeholder("id")))
    .prepare(),
);

export function getStore(db: Db, id: number | null): Store | null {
  if (id === null) return null;
  return storeQuery(db).get({ id }) ?? null;
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
