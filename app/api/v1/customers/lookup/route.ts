import { getDb } from "@/db/server";
import { handleLookup } from "@/lib/api/handlers";
import { auditHashKey } from "@/env";

export const dynamic = "force-dynamic";

/** GET /api/v1/customers/lookup?q=: see lib/api/handlers.ts. */
export function GET(request: Request) {
  return handleLookup(getDb(), request, auditHashKey());
}
