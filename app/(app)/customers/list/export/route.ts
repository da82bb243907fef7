import { withDb } from "@/lib/actions/app-db";
import { requireStaffForRoute } from "@/lib/actions/session";
import { csvDownload, routeHandler } from "@/lib/api/route-handler";
import { utcDay } from "@/lib/days";
import { DomainError } from "@/lib/errors";
import { exportCustomerList } from "@/lib/lists/export";
import { filterOf, parseListParams } from "@/lib/lists/params";
import { listStoreFor } from "@/lib/lists/scope";

/** GET /customers/list/export?<list query>: the filtered list as a streamed CSV, within the consent rule. */
export function GET(request: Request): Promise<Response> {
  return routeHandler(async () => {
    const staff = await requireStaffForRoute();
    const parsed = parseListParams(new URL(request.url).searchParams);
    const storeId = withDb(listStoreFor, staff, parsed.ok ? parsed.params.store : undefined);
    if (!parsed.ok) throw new DomainError("invalid_input", parsed.errors.join(" "));
    return csvDownload(
      withDb(exportCustomerList, { staffId: staff.id, storeId: staff.storeId }, storeId, filterOf(parsed.params)),
      `customers-store-${storeId}-${utcDay(Date.now())}.csv`,
    );
  });
}
