/// <reference lib="webworker" />
import { NetworkOnly, type PrecacheEntry, Serwist } from "serwist";

declare const self: ServiceWorkerGlobalScope & { __SW_MANIFEST: (PrecacheEntry | string)[] | undefined };

/**
 * Precached app shell only. Pages carry customer data and per-request script nonces, so a page is
 * never cached: a navigation goes to the network and, when there is none, gets the offline page.
 * Outdated precaches from earlier builds are deleted when this worker activates.
 */
const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  skipWaiting: true,
  clientsClaim: true,
  runtimeCaching: [{ matcher: ({ request }) => request.mode === "navigate", handler: new NetworkOnly() }],
  // Server action calls and the router's page payloads are never answered from here, so the
  // browser sends them straight to the network instead of first running this worker for each one
  // (Enter on a customer makes two: the lookup, then the profile). Browsers without the Static
  // Routing API ignore the rules and pass them through this worker as before.
  requestRules: [
    { condition: { requestMethod: "POST" }, source: "network" },
    { condition: { urlPattern: { search: "*_rsc=*" } }, source: "network" },
  ],
  fallbacks: { entries: [{ url: "/offline", matcher: ({ request }) => request.destination === "document" }] },
});

serwist.addEventListeners();
