"use client";

import type { FollowUpChannel } from "@/lib/customers/channels";
import { addDays, storeToday } from "@/lib/days";
import { FOLLOW_UP_CHANNEL_LABELS } from "@/lib/customers/channels";
import { Choices, labelled } from "@/components/ui/choices";

export type FollowUpDraftState = { title: string; note: string; dueOn: string; channel: FollowUpChannel };

export function emptyDraft(): FollowUpDraftState {
  return { title: "", note: "", dueOn: addDays(storeToday(), 7), channel: "in_store" };
}

const field = "min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3";

/** The fields of a follow-up, shared by the profile panel and the bulk toolbar. */
export function FollowUpFields({ idPrefix, value, onChange }: { idPrefix: string; value: FollowUpDraftState; onChange: (v: FollowUpDraftState) => void }) {
  const set = <K extends keyof FollowUpDraftState>(key: K, v: FollowUpDraftState[K]) => onChange({ ...value, [key]: v });
  return (
    <div className="grid gap-3 min-[700px]:grid-cols-2">
      <label className="flex flex-col gap-1 min-[700px]:col-span-2">
        <span className="text-sm font-semibold">What to follow up</span>
        <input
          id={`${idPrefix}-title`}
          className={field}
          value={value.title}
          maxLength={120}
          placeholder="New arrivals in her size"
          onChange={(e) => set("title", e.target.value)}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-sm font-semibold">Due</span>
        <input type="date" className={field} value={value.dueOn} min={storeToday()} onChange={(e) => set("dueOn", e.target.value)} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-sm font-semibold">How</span>
        <select className={field} value={value.channel} onChange={(e) => set("channel", e.target.value as FollowUpChannel)}>
          <Choices of={labelled(FOLLOW_UP_CHANNEL_LABELS)} />
        </select>
      </label>
      <label className="flex flex-col gap-1 min-[700px]:col-span-2">
        <span className="text-sm font-semibold">Note (optional)</span>
        <textarea className={`${field} py-2`} rows={2} maxLength={1000} value={value.note} onChange={(e) => set("note", e.target.value)} />
      </label>
    </div>
  );
}
