"use client";

import { useEffect } from "react";
import { dismissFailed, flush, useOutbox } from "@/components/offline/outbox";
import { setOnline, useOnline } from "@/components/offline/network";
import { pingAction } from "@/lib/actions/health";

const CHECK_ONLINE_EVERY_MS = 60_000;
const CHECK_OFFLINE_EVERY_MS = 10_000;

/**
 * Shop-floor Wi-Fi drops: say so before the assistant searches and waits for nothing, say what is
 * waiting to be saved, and send it as soon as the server answers again.
 */
export function ConnectionStatus() {
  const online = useOnline();
  const { pending, failed, sending } = useOutbox();

  useEffect(() => {
    let cancelled = false;
    const check = () =>
      pingAction().then(
        () => !cancelled && setOnline(true),
        () => !cancelled && setOnline(false),
      );
    const timer = setInterval(check, online ? CHECK_ONLINE_EVERY_MS : CHECK_OFFLINE_EVERY_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [online]);

  useEffect(() => {
    if (online && pending.length > 0) void flush();
  }, [online, pending.length]);

  const waiting = `${pending.length === 1 ? "1 change" : `${pending.length} changes`} will save when back online`;
  return (
    <>
      <div aria-live="polite">
        {!online && (
          <p role="status" className="border-b border-red-200 bg-red-100 px-4 py-2 text-sm text-red-950 lg:px-5">
            <strong>Offline.</strong> The customer on screen stays readable; finding a customer and opening pages need the network.
            {pending.length > 0 ? (
              <span data-testid="outbox-waiting">
                {" "}
                {waiting}; locking the tablet before then discards {pending.length === 1 ? "it" : "them"}.
              </span>
            ) : (
              " Notes, sizes and tags wait and save when it is back."
            )}
          </p>
        )}
        {online && pending.length > 0 && (
          <p role="status" className="border-b border-amber-200 bg-amber-100 px-4 py-2 text-sm font-semibold text-amber-950 lg:px-5">
            {sending ? `Saving ${pending.length === 1 ? "1 change" : `${pending.length} changes`} made offline…` : waiting}
          </p>
        )}
      </div>
      {failed.length > 0 && (
        <div className="fixed inset-x-3 bottom-3 z-40 mx-auto flex max-w-xl flex-col gap-2">
          {failed.map((f) => (
            <p
              key={f.id}
              role="alert"
              className="flex items-center justify-between gap-2 rounded-2xl bg-red-50 px-4 text-red-900 shadow-lg ring-1 ring-red-200"
            >
              {f.what} was not saved: {f.message}
              <button type="button" onClick={() => dismissFailed(f.id)} className="min-h-11 min-w-11 font-semibold underline">
                OK
              </button>
            </p>
          ))}
        </div>
      )}
    </>
  );
}
