import { getDb } from "@/db/server";
import { handleIngest } from "@/lib/api/handlers";

/** POST /api/v1/{customers,orders,products,inventory,interactions}: see lib/api/handlers.ts. */
export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  return handleIngest(getDb(), request, (await params).kind);
}
