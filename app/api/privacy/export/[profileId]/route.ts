import { withDb } from "@/lib/actions/app-db";
import { routeHandler } from "@/lib/api/route-handler";
import { writeAudit } from "@/lib/audit/audit";
import { requireStaffForRoute } from "@/lib/actions/session";
import { DomainError } from "@/lib/errors";
import { exportSubject } from "@/lib/privacy/subject";
import { idFromPath } from "@/lib/validate";

/** A data subject access request: everything about one customer as a JSON download. Head office only, audited. */
export function GET(_request: Request, { params }: { params: Promise<{ profileId: string }> }) {
  return routeHandler(async () => {
    const staff = await requireStaffForRoute(["hq"]);
    const profileId = idFromPath((await params).profileId);
    if (profileId === null) throw new DomainError("invalid_input", "A profile ID is a positive whole number.");
    const data = withDb(exportSubject, profileId);
    withDb(writeAudit, { staffId: staff.id, storeId: staff.storeId, action: "customer.export", profileId: data.profileId, detail: { requested: profileId } });
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="customer-${data.profileId}.json"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
