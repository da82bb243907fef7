import { withDb } from "@/lib/actions/app-db";
import { writeAudit } from "@/lib/audit/audit";
import { auditCsvChunks, auditFilterSchema } from "@/lib/audit/query";
import { requireStaffForRoute } from "@/lib/actions/session";
import { csvDownload, routeHandler } from "@/lib/api/route-handler";
import { utcDay } from "@/lib/days";
import { parseOrThrow } from "@/lib/validate";

/**
 * The filtered audit log as CSV, streamed a page at a time. Exporting is itself audited, with the
 * filters used, before the first byte leaves.
 */
export function GET(request: Request): Promise<Response> {
  return routeHandler(async () => {
    const staff = await requireStaffForRoute(["hq"], "Only head office can export the audit log.");
    const raw = Object.fromEntries(new URL(request.url).searchParams);
    const filter = parseOrThrow(auditFilterSchema, raw);
    const filters = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== "" && k !== "after"));
    withDb(writeAudit, { staffId: staff.id, storeId: staff.storeId, action: "hq.audit.export", detail: { filters } });
    return csvDownload(withDb(auditCsvChunks, filter), `audit-${utcDay(Date.now())}.csv`);
  });
}
