/**
 * The Content-Security-Policy of every page. Scripts run only with this response's nonce (Next
 * puts it on its own scripts) or when loaded by such a script ('strict-dynamic': the lazily
 * loaded ZXing scanner and chart chunks). Inline styles stay allowed: React renders style
 * attributes (charts, progress bars) that a nonce cannot cover, and styles cannot run code.
 * Nothing is loaded from another origin, and no other site may frame the app.
 */
export function contentSecurityPolicy(nonce: string, { development = false } = {}): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // React in development rebuilds server error stacks with eval; production never needs it.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    // The camera preview plays a local MediaStream.
    "media-src": ["'self'", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
