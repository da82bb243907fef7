import { getDb } from "@/db/server";
import { writeAudit } from "@/lib/audit/audit";
import { auditCsvChunks, auditFilterSchema } from "@/lib/audit/query";
import { currentStaff } from "@/lib/next/session";
import { utcDay } from "@/lib/days";

/**
 * The filtered audit log as CSV, streamed a page at a time. Exporting is itself audited, with the
 * filters used, before the first byte leaves.
 */
export async function GET(request: Request): Promise<Response> {
  const staff = await currentStaff();
  if (!staff) return new Response("Sign in first.\n", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (staff.role !== "hq") return new Response("Only head office can export the audit log.\n", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) return new Response(`These filters are not valid: ${parsed.error.issues[0]?.message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const db = getDb();
  const filters = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== "" && k !== "after"));
  writeAudit(db, { staffId: staff.id, storeId: staff.storeId, action: "hq.audit.export", detail: { filters } });
  const chunks = auditCsvChunks(db, parsed.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      chunks.return(undefined);
    },
  });
  const stamp = utcDay(Date.now());
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
