import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditEntry = {
  staffId: number | null;
  storeId: number | null;
  action: string;
  profileId?: number | null;
  detail?: Record<string, unknown>;
};

export function writeAudit(db: Db, entry: AuditEntry, at: number = Date.now()): void {
  db.insert(auditLog)
    .values({ at, staffId: entry.staffId, storeId: entry.storeId, action: entry.action, profileId: entry.profileId ?? null, detail: entry.detail ?? null })
    .run();
}
