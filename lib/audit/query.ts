import { and, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { csvRow } from "@/lib/csv";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditLog, staff, stores } from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { utcDayStart } from "@/lib/days";

const AUDIT_PAGE_SIZE = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const id = z.coerce.number().int().positive();
/** Query-string values: blank means "any", so an emptied field never becomes a filter on 0 or "". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
const day = z
  .string()
  .trim()
  .regex(DATE, "Use a date like 2026-05-03.")
  .refine((v) => Number.isFinite(Date.parse(v)), "Use a date like 2026-05-03.");

/** Filters as they arrive in the viewer's URL and the export link; dates are whole UTC days, `to` inclusive. */
export const auditFilterSchema = z
  .object({
    staffId: optional(id),
    profileId: optional(id),
    storeId: optional(id),
    action: optional(z.string().trim().max(80)),
    from: optional(day),
    to: optional(day),
  })
  .transform((f) => ({
    staffId: f.staffId,
    profileId: f.profileId,
    storeId: f.storeId,
    action: f.action,
    from: f.from === undefined ? undefined : Date.parse(f.from),
    to: f.to === undefined ? undefined : utcDayStart(f.to, 1),
  }));

export type AuditFilter = z.output<typeof auditFilterSchema>;

/** Keyset cursor: the (at, id) of the last row shown; the next page starts strictly after it. */
export type AuditCursor = { at: number; id: number };

export function encodeCursor(c: AuditCursor): string {
  return `${c.at}.${c.id}`;
}

export function decodeCursor(raw: string | undefined | null): AuditCursor | null {
  const m = raw?.match(/^(\d{1,15})\.(\d{1,15})$/);
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

export type AuditRow = {
  id: number;
  at: number;
  staffId: number | null;
  staffName: string | null;
  storeId: number | null;
  storeCode: string | null;
  action: string;
  profileId: number | null;
  detail: Record<string, unknown> | null;
};

/** `like` wildcards typed by a user are literal characters, not patterns. */
const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(filter: AuditFilter, cursor: AuditCursor | null): SQL | undefined {
  const where: (SQL | undefined)[] = [];
  if (filter.staffId !== undefined) where.push(eq(auditLog.staffId, filter.staffId));
  if (filter.profileId !== undefined) where.push(eq(auditLog.profileId, filter.profileId));
  if (filter.storeId !== undefined) where.push(eq(auditLog.storeId, filter.storeId));
  // "hq.store" finds hq.store itself and everything under it (hq.store.create, hq.store.update).
  if (filter.action) where.push(or(eq(auditLog.action, filter.action), sql`${auditLog.action} like ${`${escapeLike(filter.action)}.%`} escape '\\'`));
  if (filter.from !== undefined) where.push(gte(auditLog.at, filter.from));
  if (filter.to !== undefined) where.push(lt(auditLog.at, filter.to));
  if (cursor) where.push(or(lt(auditLog.at, cursor.at), and(eq(auditLog.at, cursor.at), lt(auditLog.id, cursor.id))));
  return and(...where);
}

/** Newest first, one page at a time; `next` is null on the last page. */
export function queryAudit(db: Db, filter: AuditFilter, cursor: AuditCursor | null, limit = AUDIT_PAGE_SIZE): { rows: AuditRow[]; next: AuditCursor | null } {
  const rows = db
    .select({ ...columnsOf(auditLog, "id", "at", "staffId", "storeId", "action", "profileId", "detail"), staffName: staff.name, storeCode: stores.code })
    .from(auditLog)
    .leftJoin(staff, eq(staff.id, auditLog.staffId))
    .leftJoin(stores, eq(stores.id, auditLog.storeId))
    .where(conditions(filter, cursor))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
}

const CSV_HEADER = ["id", "at", "staff_id", "staff", "store", "action", "profile_id", "detail"];

export function csvLine(row: AuditRow): string {
  return csvRow([row.id, new Date(row.at).toISOString(), row.staffId, row.staffName, row.storeCode, row.action, row.profileId, row.detail]);
}

/**
 * The whole filtered log as CSV lines, read one keyset page at a time so a long export neither
 * holds the table in memory nor keeps a statement open on the app's one connection between pages.
 */
export function* auditCsvChunks(db: Db, filter: AuditFilter, pageSize = 1000): Generator<string> {
  yield CSV_HEADER.join(",") + "\r\n";
  let cursor: AuditCursor | null = null;
  do {
    const page = queryAudit(db, filter, cursor, pageSize);
    if (page.rows.length > 0) yield page.rows.map(csvLine).join("");
    cursor = page.next;
  } while (cursor);
}
