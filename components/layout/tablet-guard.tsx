"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { dropAll } from "@/components/offline/outbox";
import { keepSessionAction, lockAction } from "@/lib/actions/auth";

const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/**
 * A shared tablet locks itself after inactivity, or with one tap. Customer data goes first: the
 * screen is covered, the query cache, writes waiting for the network, browser storage and every
 * cache but the app shell's are emptied, and /lock is loaded as a new document so nothing survives
 * in memory (offline, the worker answers it with the offline page). A page restored from the
 * back-forward cache reloads.
 */
export function TabletGuard({ lockAfterSeconds }: { lockAfterSeconds: number }) {
  const queryClient = useQueryClient();
  const [locking, setLocking] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastKept = useRef(0);

  const lock = useCallback(async () => {
    setLocking(true);
    queryClient.clear();
    const unsaved = dropAll();
    window.sessionStorage.clear();
    window.localStorage.clear();
    try {
      await clearCaches();
      await lockAction();
    } finally {
      window.location.replace(unsaved > 0 ? `/lock?unsaved=${unsaved}` : "/lock");
    }
  }, [queryClient]);

  useEffect(() => {
    const arm = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(lock, lockAfterSeconds * 1000);
      // The server ends a session idle past the timeout; touches that send no request still count.
      if (Date.now() - lastKept.current > (lockAfterSeconds * 1000) / 2) {
        lastKept.current = Date.now();
        keepSessionAction().catch(() => {});
      }
    };
    lastKept.current = Date.now();
    arm();
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, arm, { passive: true });
    const onPageShow = (e: PageTransitionEvent) => {
      if (e.persisted) window.location.reload();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => {
      clearTimeout(timer.current);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, arm);
      window.removeEventListener("pageshow", onPageShow);
    };
  }, [lock, lockAfterSeconds]);

  return (
    <>
      <button
        type="button"
        onClick={lock}
        className="inline-flex min-h-11 items-center rounded-xl px-3 text-sm font-semibold text-stone-700 hover:bg-stone-200"
      >
        Lock
      </button>
      {locking && <div className="fixed inset-0 z-50 bg-stone-50" aria-hidden="true" />}
    </>
  );
}

/** The service worker keeps only the app shell; anything else in Cache Storage goes with the customer. */
async function clearCaches() {
  if (!("caches" in window)) return;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => !name.includes("precache")).map((name) => caches.delete(name)));
}
