"use client";

import { useEffect, useState } from "react";
import { lockAction } from "@/lib/actions/auth";
import { Button } from "../ui/button";

type Shown = { locked: boolean; unsaved: number };

const RETRY_EVERY_MS = 3000;

/**
 * What the tablet shows for a page opened without a network (the service worker answers with this
 * page whatever the address). It reloads the address by itself once the network is back.
 */
export function OfflineNotice() {
  const [shown, setShown] = useState<Shown>({ locked: false, unsaved: 0 });
  useEffect(() => {
    const url = new URL(window.location.href);
    const locked = url.pathname === "/lock";
    setShown({ locked, unsaved: Number(url.searchParams.get("unsaved")) || 0 });
    // A lock made offline could not end the session on the server; it does so before unlocking is offered.
    const reload = () => void (locked ? lockAction().catch(() => undefined) : Promise.resolve()).then(() => window.location.reload());
    // The network may be back before this page was ready to hear it: ask the server now and then.
    const tryServer = () => {
      if (!navigator.onLine || url.pathname === "/offline") return;
      fetch(window.location.href, { method: "HEAD", cache: "no-store" }).then(
        (r) => r.status < 500 && reload(),
        () => undefined,
      );
    };
    tryServer();
    const timer = setInterval(tryServer, RETRY_EVERY_MS);
    window.addEventListener("online", tryServer);
    return () => {
      clearInterval(timer);
      window.removeEventListener("online", tryServer);
    };
  }, []);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-3xl bg-white p-8 shadow-sm ring-1 ring-stone-200">
        <p className="mb-2 inline-block rounded-full bg-red-100 px-3 py-1 text-sm font-semibold text-red-900">Offline</p>
        <h1 className="text-2xl font-bold text-brand-800">{shown.locked ? "Tablet locked, no network" : "This page needs the network"}</h1>
        <p className="mt-2 text-stone-700">
          {shown.locked
            ? "Unlocking needs the network. The tablet opens the unlock screen by itself as soon as the network is back."
            : "The tablet has no connection to the store’s server. This page opens by itself as soon as the network is back."}
        </p>
        {shown.unsaved > 0 && <UnsavedNotice count={shown.unsaved} />}
        <Button type="button" className="mt-6" onClick={() => window.location.reload()}>
          Try again
        </Button>
      </div>
    </main>
  );
}

export function UnsavedNotice({ count }: { count: number }) {
  return (
    <p role="alert" className="mt-4 rounded-2xl bg-amber-50 px-4 py-3 text-amber-950 ring-1 ring-amber-200">
      {count === 1 ? "1 change" : `${count} changes`} made while offline {count === 1 ? "was" : "were"} not saved: the tablet locked before the network came
      back. Add
      {count === 1 ? " it" : " them"} again if the customer is still with you.
    </p>
  );
}
