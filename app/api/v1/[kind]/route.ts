import { withDb } from "@/lib/actions/app-db";
import { handleIngest } from "@/lib/api/handlers";
import { methodNotAllowed } from "@/lib/api/route-handler";

/** POST /api/v1/{customers,orders,products,inventory,interactions}: see lib/api/handlers.ts. */
export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  return withDb(handleIngest, request, (await params).kind);
}

export const GET = methodNotAllowed(["POST"]);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
