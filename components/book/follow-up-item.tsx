"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { completeFollowUpAction, snoozeFollowUpAction } from "@/lib/actions/book";
import { addDays, formatDay, storeToday } from "@/lib/days";
import { FOLLOW_UP_CHANNEL_LABELS } from "@/lib/customers/channels";
import type { FollowUpView } from "@/lib/book/follow-ups";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { inputClass } from "@/components/ui/field";
import { AlertText } from "../ui/alert-text";

/** One follow-up with its two moves: done, or snooze to a later day. The page re-reads itself after either. */
export function FollowUpItem({ item, showCustomer = true, showAssignee = false }: { item: FollowUpView; showCustomer?: boolean; showAssignee?: boolean }) {
  const router = useRouter();
  const [until, setUntil] = useState(() => addDays(storeToday(), 1));
  const done = useMutation({ mutationFn: () => unwrap(completeFollowUpAction({ id: item.id })), onSuccess: () => router.refresh() });
  const snooze = useMutation({ mutationFn: () => unwrap(snoozeFollowUpAction({ id: item.id, until })), onSuccess: () => router.refresh() });
  const failed = done.error ?? snooze.error;
  const busy = done.isPending || snooze.isPending;
  return (
    <li data-testid="follow-up" className={`flex flex-col gap-2 rounded-2xl bg-white p-4 ring-1 ${item.overdue ? "ring-2 ring-red-300" : "ring-stone-200"}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-semibold">{item.title}</p>
          <p className="text-sm text-stone-600">
            {showCustomer && (
              <>
                <Link href={`/customers/${item.profileId}`} className="font-semibold text-brand-800 underline">
                  {item.customerName}
                </Link>
                {" · "}
              </>
            )}
            {FOLLOW_UP_CHANNEL_LABELS[item.channel]}
            {showAssignee && ` · ${item.staffName}`}
          </p>
          {item.note && <p className="mt-1 text-sm">{item.note}</p>}
          {item.consentWithdrawn && (
            <p className="mt-1 rounded-lg bg-amber-100 px-2 py-1 text-sm font-semibold text-amber-950">
              Consent withdrawn: {item.consentWithdrawn} Do not contact them this way.
            </p>
          )}
        </div>
        <p className={`text-sm font-semibold ${item.overdue ? "rounded-lg bg-red-100 px-2 py-1 text-red-900" : "text-stone-700"}`}>
          {item.state === "snoozed" && item.snoozedUntil
            ? `Snoozed until ${formatDay(item.snoozedUntil)}`
            : `${item.overdue ? "Overdue: was due" : "Due"} ${formatDay(item.dueOn)}`}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" variant="secondary" disabled={busy || item.consentWithdrawn !== null} onClick={() => done.mutate()}>
          Mark done
        </Button>
        <label className="flex items-center gap-2">
          <span className="sr-only">Snooze {item.title} until</span>
          <input type="date" className={inputClass} value={until} min={addDays(storeToday(), 1)} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <Button type="button" variant="ghost" disabled={busy || !until} onClick={() => snooze.mutate()}>
          Snooze
        </Button>
        <AlertText message={failed?.message} className="text-sm" />
      </div>
    </li>
  );
}
