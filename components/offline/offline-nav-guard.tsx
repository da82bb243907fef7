"use client";

import { useEffect, useState } from "react";
import { isOnline, useOnline } from "./network";

/**
 * Offline, a tap on a link would swap the customer on screen for the offline page. Instead the
 * tap is held and the assistant told why; the page they are on stays as it is.
 */
export function OfflineNavGuard() {
  const online = useOnline();
  const [held, setHeld] = useState<string | null>(null);

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (isOnline() || event.defaultPrevented || event.button !== 0) return;
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || link.origin !== window.location.origin || link.target === "_blank" || link.hasAttribute("download")) return;
      if (link.pathname === window.location.pathname && link.search === window.location.search) return;
      event.preventDefault();
      event.stopPropagation();
      setHeld(link.textContent?.trim() || "That page");
    };
    // Capture on window runs before React's own handlers on the document, so the router never starts.
    window.addEventListener("click", onClick, { capture: true });
    return () => window.removeEventListener("click", onClick, { capture: true });
  }, []);

  useEffect(() => {
    if (online) setHeld(null);
  }, [online]);

  if (!held) return null;
  return (
    <div
      role="alert"
      className="fixed inset-x-3 bottom-3 z-40 mx-auto flex max-w-xl items-center justify-between gap-3 rounded-2xl bg-stone-900 px-5 py-3 text-white shadow-lg"
    >
      <p>
        <span className="font-semibold">{held}</span> needs the network. You are offline; this page stays as it is until it is back.
      </p>
      <button type="button" onClick={() => setHeld(null)} className="min-h-11 min-w-11 rounded-xl px-3 font-semibold underline">
        OK
      </button>
    </div>
  );
}
