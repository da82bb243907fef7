"use client";

import { useEffect } from "react";

/** Registers the app-shell worker (built by `serwist build` after `next build`, so production only). */
export function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // Without the worker the app still works online; offline navigation falls back to the browser's page.
    });
  }, []);
  return null;
}
