import { withDb } from "@/lib/actions/app-db";
import { handleIngest } from "@/lib/api/handlers";

/** POST /api/v1/{customers,orders,products,inventory,interactions}: see lib/api/handlers.ts. */
export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  return withDb(handleIngest, request, (await params).kind);
}
