"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether the tablet can reach the server: the browser's own signal, corrected by what happens to
 * real requests (a ping or an action that fails to reach the server). One store for the whole page,
 * so the header chip, the lookup and the outbox never disagree.
 */
let online = typeof navigator === "undefined" ? true : navigator.onLine;
const listeners = new Set<() => void>();

export function setOnline(next: boolean) {
  if (next === online) return;
  online = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    window.addEventListener("online", onBrowserOnline);
    window.addEventListener("offline", onBrowserOffline);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.removeEventListener("online", onBrowserOnline);
      window.removeEventListener("offline", onBrowserOffline);
    }
  };
}

const onBrowserOnline = () => setOnline(true);
const onBrowserOffline = () => setOnline(false);

export function isOnline(): boolean {
  return online;
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => online,
    () => true,
  );
}

/** A request that never reached the server (fetch rejects with a TypeError), as opposed to an answer saying no. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (typeof navigator !== "undefined" && !navigator.onLine);
}
