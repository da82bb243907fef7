"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ConsentState } from "@/db/schema";
import type { ConsentChange } from "@/lib/customers/consent";
import { setConsentAction } from "@/lib/actions/profile";
import { formatDate, formatDateTime } from "../ui/format";
import { unwrap } from "../ui/unwrap";

const CHANNELS = [
  { id: "email", label: "Email" },
  { id: "sms", label: "Text messages" },
  { id: "post", label: "Post" },
] as const;

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
  const [history, setHistory] = useState(initialHistory);
  // Optimistic: the box follows the finger at once; a failed save puts it back and says why.
  const change = useMutation({
    mutationFn: (v: { channel: (typeof CHANNELS)[number]["id"]; granted: boolean }) => unwrap(setConsentAction({ profileId, grant, ...v })),
    onMutate: (v) => {
      const previous = consents[v.channel];
      setConsents((c) => ({ ...c, [v.channel]: { granted: v.granted, at: Date.now(), source: "clientele" } }));
      return { previous };
    },
    onSuccess: ({ consent, history }, v) => (setConsents((c) => ({ ...c, [v.channel]: consent })), setHistory(history)),
    onError: (_error, v, context) =>
      setConsents((c) => {
        const { [v.channel]: _failed, ...rest } = c;
        return context?.previous ? { ...rest, [v.channel]: context.previous } : rest;
      }),
  });
  return (
    <section aria-labelledby="consents-heading" className="rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <h2 id="consents-heading" className="text-lg font-bold">
        Contact consent
      </h2>
      <p className="text-sm text-stone-600">Change only with the customer’s say-so; it is recorded with your name, store and time.</p>
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
                  disabled={change.isPending}
                  onChange={(e) => change.mutate({ channel: id, granted: e.target.checked })}
                />
                <span className="sr-only">{label} consent</span>
              </label>
            </li>
          );
        })}
      </ul>
      {change.isError && <p className="mt-2 text-sm text-red-800">{change.error.message}</p>}
      {history.length > 0 && (
        <>
          <h3 className="mt-4 text-sm font-semibold">Changes made in store</h3>
          <ul className="mt-1 flex flex-col gap-1 text-sm text-stone-700" aria-label="Consent changes">
            {history.map((h) => (
              <li key={h.id}>
                {CHANNELS.find((c) => c.id === h.channel)?.label ?? h.channel}: {h.granted ? "agreed" : "withdrawn"} — {h.staffName ?? "someone no longer on staff"}
                {h.storeName ? `, ${h.storeName}` : ", head office"}, {formatDateTime(h.at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
