import { sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditEntry = {
  staffId: number | null;
  storeId: number | null;
  action: string;
  profileId?: number | null;
  detail?: Record<string, unknown>;
};

const insertFor = perConnection(prepareInsert);

function prepareInsert(db: Db) {
  const p = sql.placeholder;
  return db
    .insert(auditLog)
    .values({ at: p("at"), staffId: p("staffId"), storeId: p("storeId"), action: p("action"), profileId: p("profileId"), detail: p("detail") })
    .prepare();
}

/** Written on every profile view and lookup, so the insert is prepared once per connection. */
export function writeAudit(db: Db, entry: AuditEntry, at: number = Date.now()): void {
  const insert = insertFor(db);
  insert.run({
    at,
    staffId: entry.staffId,
    storeId: entry.storeId,
    action: entry.action,
    profileId: entry.profileId ?? null,
    detail: entry.detail ?? {},
  });
}
