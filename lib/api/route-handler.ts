import { isBusy } from "@/db/dialect";
import { DomainError, type ErrorCode, GENERIC_MESSAGE, HTTP_STATUS } from "@/lib/errors";
import type { FieldError } from "@/lib/ingest/schemas";

export type RouteErrorCode = ErrorCode | "invalid_json" | "payload_too_large" | "busy" | "internal" | "method_not_allowed";

/** A caller's mistake with its own status (413, 429…) where a DomainError's code does not say it. */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: RouteErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A successful JSON answer: never cached, since it is about a caller or a customer. */
export const jsonResponse = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** The one error body of every route handler: {error: {code, message, fields?}}, never a stack. */
function errorResponse(status: number, code: RouteErrorCode, message: string, fields?: FieldError[], headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** The answer to a method a route does not take, in the one error shape (Next.js's own 405 has no body). */
export const methodNotAllowed = (allowed: readonly string[]) => () =>
  errorResponse(405, "method_not_allowed", `This address takes ${allowed.join(" or ")} only.`, undefined, { Allow: allowed.join(", ") });

/**
 * Every app route handler's body runs inside this: expected failures become 4xx with the one error
 * shape, a busy database a 503 to retry, and anything else a logged 500 with a generic message.
 */
export async function routeHandler(work: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RouteError) return errorResponse(err.status, err.code, err.message, err.fields, err.headers);
    if (err instanceof DomainError) {
      const headers: Record<string, string> = err.code === "unauthenticated" ? { "WWW-Authenticate": 'Bearer realm="clientele"' } : {};
      const fields = err.fieldErrors
        ? Object.entries(err.fieldErrors).flatMap(([field, messages]) => messages.map((message) => ({ field, message })))
        : undefined;
      return errorResponse(HTTP_STATUS[err.code], err.code, err.message, fields, headers);
    }
    // Writers queue on busy_timeout; if one still cannot get the lock the caller should simply retry.
    if (isBusy(err)) return errorResponse(503, "busy", "The store is busy; retry shortly.", undefined, { "Retry-After": "1" });
    console.error(err);
    return errorResponse(500, "internal", GENERIC_MESSAGE);
  }
}

/** A CSV download streamed a chunk at a time, so a long export is never held in memory. */
export function csvDownload(chunks: Generator<string, void, undefined>, filename: string): Response {
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
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
}
