"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { isNetworkError, setOnline, useOnline } from "@/components/offline/network";
import { CONSENT_CHANNELS, CONSENT_LABELS, type ConsentState } from "@/lib/customers/channels";
import type { ConsentChange } from "@/lib/customers/consent";
import { setConsentAction } from "@/lib/actions/profile";
import { formatDate, formatDateTime } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";

const CHANNELS = CONSENT_CHANNELS.map((id) => ({ id, label: CONSENT_LABELS[id] }));

export function ConsentsPanel({
  profileId,
  grant,
  initial,
  initialHistory,
  sourceLabels,
}: {
  profileId: number;
  grant: string | null;
  initial: Record<string, ConsentState>;
  initialHistory: ConsentChange[];
  sourceLabels: Record<string, string>;
}) {
  const [consents, setConsents] = useState(initial);
  const online = useOnline();
  const [history, setHistory] = useState(initialHistory);
  // Optimistic: the box follows the finger at once; a failed save puts it back and says why.
  // Never queued offline: the customer is told their choice is recorded, so it must be, now.
  const change = useMutation({
    mutationFn: (v: { channel: (typeof CHANNELS)[number]["id"]; granted: boolean }) => unwrap(setConsentAction({ profileId, grant, ...v })),
    onMutate: (v) => {
      const previous = consents[v.channel];
      setConsents((c) => ({ ...c, [v.channel]: { granted: v.granted, at: Date.now(), source: "clientele" } }));
      return { previous };
    },
    onSuccess: ({ consent, history }, v) => {
      setConsents((c) => ({ ...c, [v.channel]: consent }));
      setHistory(history);
    },
    onError: (error, v, context) => {
      if (isNetworkError(error)) setOnline(false);
      setConsents((c) => {
        const { [v.channel]: _failed, ...rest } = c;
        return context?.previous ? { ...rest, [v.channel]: context.previous } : rest;
      });
    },
  });
  const lostNetwork = change.isError && isNetworkError(change.error);
  return (
    <Panel headingId="consents-heading" title="Contact consent">
      <p className="text-sm text-stone-600">Change only with the customer’s say-so; it is recorded with your name, store and time.</p>
      {(!online || lostNetwork) && (
        <p role="status" className="mt-2 rounded-xl bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200" data-testid="consent-offline">
          {lostNetwork ? "Not changed: the network dropped. " : ""}Changing consent needs the network, and is never saved later: tell the customer it is not
          recorded yet, and change it when the tablet is back online.
        </p>
      )}
      <ul className="mt-3 flex flex-col gap-2">
        {CHANNELS.map(({ id, label }) => {
          const c = consents[id];
          return (
            <li key={id} className="flex items-center justify-between gap-3">
              <div>
                <p className="font-semibold">{label}</p>
                <p className="text-sm text-stone-600" data-testid={`consent-${id}`}>
                  {c ? `${c.granted ? "Yes" : "No"} since ${formatDate(c.at)}, via ${sourceLabels[c.source] ?? c.source}` : "Never asked"}
                </p>
              </div>
              <label className="flex min-h-11 cursor-pointer items-center gap-2">
                <input
                  type="checkbox"
                  className="size-6 accent-brand-600"
                  checked={c?.granted ?? false}
                  disabled={change.isPending || !online}
                  onChange={(e) => change.mutate({ channel: id, granted: e.target.checked })}
                />
                <span className="sr-only">{label} consent</span>
              </label>
            </li>
          );
        })}
      </ul>
      {change.isError && !lostNetwork && <p className="mt-2 text-sm text-red-800">{change.error.message}</p>}
      {history.length > 0 && (
        <>
          <h3 className="mt-4 text-sm font-semibold">Changes made in store</h3>
          <ul className="mt-1 flex flex-col gap-1 text-sm text-stone-700" aria-label="Consent changes">
            {history.map((h) => (
              <li key={h.id}>
                {CHANNELS.find((c) => c.id === h.channel)?.label ?? h.channel}: {h.granted ? "agreed" : "withdrawn"} —{" "}
                {h.staffName ?? "someone no longer on staff"}
                {h.storeName ? `, ${h.storeName}` : ", head office"}, {formatDateTime(h.at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
