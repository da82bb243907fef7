"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { keepSessionAction, lockAction } from "@/lib/actions/auth";

const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/**
 * A shared tablet locks itself after inactivity, or with one tap. Customer data goes first: the
 * screen is covered, the query cache and browser storage are emptied, and /lock is loaded as a new
 * document so nothing survives in memory. A page restored from the back-forward cache reloads.
 */
export function TabletGuard({ lockAfterSeconds }: { lockAfterSeconds: number }) {
  const queryClient = useQueryClient();
  const [locking, setLocking] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastKept = useRef(0);

  const lock = useCallback(async () => {
    setLocking(true);
    queryClient.clear();
    window.sessionStorage.clear();
    window.localStorage.clear();
    try {
      await lockAction();
    } finally {
      window.location.replace("/lock");
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
      <button type="button" onClick={lock} className="inline-flex min-h-11 items-center rounded-xl px-4 text-sm font-semibold text-stone-700 hover:bg-stone-200">
        Lock
      </button>
      {locking && <div className="fixed inset-0 z-50 bg-stone-50" aria-hidden="true" />}
    </>
  );
}
