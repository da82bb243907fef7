import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Store, stores } from "@/db/schema";

export function getStore(db: Db, id: number | null): Store | null {
  if (id === null) return null;
  return db.select().from(stores).where(eq(stores.id, id)).get() ?? null;
}
