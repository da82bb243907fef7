"use client";

import { useEffect, useState } from "react";
import { pingAction } from "@/lib/actions/health";

const CHECK_EVERY_MS = 60_000;

/** Shop-floor Wi-Fi drops: say so before the assistant searches and waits for nothing. */
export function ConnectionStatus() {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    let cancelled = false;
    const check = () =>
      pingAction().then(
        () => !cancelled && setOnline(true),
        () => !cancelled && setOnline(false),
      );
    const timer = setInterval(check, CHECK_EVERY_MS);
    const goOffline = () => setOnline(false);
    window.addEventListener("online", check);
    window.addEventListener("offline", goOffline);
    return () => {
      cancelled = true;
      clearInterval(timer);
      window.removeEventListener("online", check);
      window.removeEventListener("offline", goOffline);
    };
  }, []);
  if (online) return null;
  return (
    <p role="status" className="rounded-full bg-red-100 px-3 py-1 text-sm font-semibold text-red-900">
      Offline
    </p>
  );
}
