/**
 * Whether the browser reached us over https. X-Forwarded-Proto is believed because the server start
 * (scripts/trusted-peer.cjs) drops it from anyone but a trusted proxy, and Next then sets it from
 * the connection itself.
 */
export function servedOverHttps(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export const HSTS = "max-age=63072000; includeSubDomains";
