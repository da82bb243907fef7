import { getDb } from "@/db/server";
import { currentStaff } from "@/lib/next/session";
import { DomainError, HTTP_STATUS, toFailure } from "@/lib/errors";
import { exportCustomerList } from "@/lib/lists/export";
import { filterOf, parseListParams } from "@/lib/lists/params";
import { listStoreFor } from "@/lib/lists/scope";
import { utcDay } from "@/lib/days";

/** GET /customers/list/export?<list query>: the filtered list as a streamed CSV, within the consent rule. */
export async function GET(request: Request): Promise<Response> {
  let rows: Generator<string, void, undefined>;
  let storeId: number;
  try {
    const staff = await currentStaff();
    if (!staff) throw new DomainError("unauthenticated");
    const parsed = parseListParams(new URL(request.url).searchParams);
    const db = getDb();
    storeId = listStoreFor(db, staff, parsed.ok ? parsed.params.store : undefined);
    if (!parsed.ok) throw new DomainError("invalid_input", parsed.errors.join(" "));
    rows = exportCustomerList(db, { staffId: staff.id, storeId: staff.storeId }, storeId, filterOf(parsed.params));
  } catch (error) {
    const failure = toFailure(error);
    return Response.json(failure, { status: failure.code === "internal" ? 500 : HTTP_STATUS[failure.code] });
  }
  const encoder = new TextEncoder();
  // Pulled one keyset page at a time: the whole list is never held in memory.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      rows.return();
    },
  });
  const day = utcDay(Date.now());
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="customers-store-${storeId}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
