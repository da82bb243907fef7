/**
 * Preloaded into `next start` by scripts/start.ts. Next keeps a client's own X-Forwarded-For and
 * only fills it in when absent, so a client could claim any address. Here, before Next sees the
 * request, the header is replaced by the connection's own address unless the connection comes from
 * one of TRUSTED_PROXIES (validated by env.ts), whose header is kept as the proxy wrote it.
 */
const http = require("node:http");
const https = require("node:https");

const trusted = new Set(
  (process.env.TRUSTED_PROXIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
const unmapped = (address) => (address && address.startsWith("::ffff:") ? address.slice(7) : address);

function stamp(req) {
  const peer = unmapped(req.socket && req.socket.remoteAddress);
  if (!peer) return;
  if (trusted.has(peer)) {
    // The proxy's own view of its client is at the right; add the proxy itself when it did not.
    if (!req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = peer;
    return;
  }
  req.headers["x-forwarded-for"] = peer;
  delete req.headers["x-forwarded-proto"];
  delete req.headers["x-forwarded-host"];
}

for (const Server of [http.Server, https.Server]) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (event, req, ...rest) {
    if (event === "request") stamp(req);
    return emit.call(this, event, req, ...rest);
  };
}
