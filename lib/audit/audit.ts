import { createHmac } from "node:crypto";
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

/**
 * What someone searched for, as the audit log keeps it: a keyed hash, so "who looked up this email"
 * can still be answered by hashing the email again, while the log itself names nobody and nothing
 * is left to erase when the customer is erased.
 */
export function searchedHash(key: string, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}
