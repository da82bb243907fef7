import { type NextRequest, NextResponse } from "next/server";
import { refuseBadActionCall } from "@/lib/security/action-guard";
import { contentSecurityPolicy, newNonce } from "@/lib/security/csp";
import { HSTS, servedOverHttps } from "@/lib/security/transport";

/**
 * A fresh script nonce per request. Next reads it from the request's CSP header while rendering
 * and stamps it on its scripts, so every page must render per request (the root layout awaits
 * connection()); the same policy goes out on the response.
 */
export async function proxy(request: NextRequest) {
  const refused = await refuseBadActionCall(request);
  if (refused) return withTransport(request, refused);
  const policy = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return withTransport(request, response);
}

/** Over https, browsers are told to come back over https only. */
function withTransport<R extends Response>(request: NextRequest, response: R): R {
  if (servedOverHttps(request.headers)) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Built assets carry no markup to protect; prefetches are not rendered as documents.
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
