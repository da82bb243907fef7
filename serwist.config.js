// @ts-check
import { randomUUID } from "node:crypto";
import { serwist } from "@serwist/next/config";

/**
 * The app-shell service worker, built by `serwist build` after `next build`. It precaches only
 * what every build ships to every user (hashed scripts and styles, icons, the manifest) and the
 * offline page; customer pages and server actions always go to the network.
 */
export default serwist({
  swSrc: "app/sw.ts",
  swDest: "public/sw.js",
  globPatterns: [".next/static/**/*.{js,css,woff2}", "public/icons/*", "public/favicon.ico"],
  // Every page renders per request, so nothing is prerendered to pick up.
  precachePrerendered: false,
  // A new build means a new offline page (its scripts' names change with the build).
  additionalPrecacheEntries: [{ url: "/offline", revision: randomUUID() }],
});
