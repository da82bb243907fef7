import { nestedTooDeep } from "@/lib/validate";

/** Next's own limit for a server action's body (serverActions.bodySizeLimit, 1 MB by default). */
export const MAX_ACTION_BODY_BYTES = 1024 * 1024;

const refuse = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * A server action call the app would only crash on, answered here with a 4xx and a plain reason:
 * Next and React reject these deep inside their own handler, as a 500. Called by proxy.ts for every
 * POST that names an action; null lets the call through.
 */
export async function refuseBadActionCall(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== host)) {
    return refuse(403, "Server actions are accepted only from this site's own pages.");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_ACTION_BODY_BYTES) return refuse(413, "The request body is larger than 1 MB.");
  const type = request.headers.get("content-type") ?? "";
  // React sends arguments as JSON text, or as multipart form data when there is a file or a FormData.
  if (type.startsWith("multipart/form-data")) return null;
  const text = await request.clone().text();
  if (Buffer.byteLength(text) > MAX_ACTION_BODY_BYTES) return refuse(413, "The request body is larger than 1 MB.");
  if (!type.startsWith("text/plain")) return refuse(415, "Send a server action's arguments as JSON text or form data.");
  if (nestedTooDeep(text)) return refuse(400, "The request body is nested too deeply.");
  try {
    JSON.parse(text);
  } catch {
    return refuse(400, "The request body is not valid JSON.");
  }
  return null;
}
