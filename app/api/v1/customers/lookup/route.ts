import { withDb } from "@/lib/actions/app-db";
import { handleLookup } from "@/lib/api/handlers";
import { methodNotAllowed } from "@/lib/api/route-handler";
import { auditHashKey } from "@/env";

export const dynamic = "force-dynamic";

/** GET /api/v1/customers/lookup?q=: see lib/api/handlers.ts. */
export function GET(request: Request) {
  return withDb(handleLookup, request, auditHashKey());
}

export const POST = methodNotAllowed(["GET"]);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
