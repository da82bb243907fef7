"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { assignCustomersAction, createFollowUpsAction, storeAssociatesAction } from "@/lib/actions/book";
import { Button } from "../ui/button";
import { Segmented } from "../ui/segmented";
import { unwrap } from "../ui/unwrap";
import { FollowUpFields, emptyDraft } from "./follow-up-fields";
import { OutcomeList } from "./outcome-list";
import { Choices } from "@/components/ui/choices";
import { inputClass } from "@/components/ui/field";
import { AlertText } from "../ui/alert-text";

const MODES = [
  { id: "assign", label: "Assign" },
  { id: "follow-up", label: "Follow-up" },
] as const;
type Mode = (typeof MODES)[number]["id"];

function buttonLabel(mode: Mode, count: number): string {
  if (mode === "assign") return count ? `Assign ${count}` : "Assign";
  return count ? `Create ${count} follow-up${count === 1 ? "" : "s"}` : "Create follow-ups";
}

/**
 * For a manager's selection of customers: put them in an associate's book, or give that associate a
 * follow-up about each. Results come back per customer; refusals (not this store's customer, no
 * consent for the channel) are listed with their reason while the rest go through.
 */
export function BulkActions({ storeId, profileIds, onDone }: { storeId: number; profileIds: number[]; onDone?: () => void }) {
  const [mode, setMode] = useState<Mode>("assign");
  const [staffId, setStaffId] = useState<number | null>(null);
  const [draft, setDraft] = useState(emptyDraft);
  const associates = useQuery({ queryKey: ["store-associates", storeId], queryFn: () => unwrap(storeAssociatesAction({ storeId })) });
  const assign = useMutation({
    mutationFn: (to: number) => unwrap(assignCustomersAction({ storeId, staffId: to, profileIds })),
    onSuccess: () => onDone?.(),
  });
  const follow = useMutation({
    mutationFn: (to: number) => unwrap(createFollowUpsAction({ storeId, staffId: to, profileIds, ...draft })),
    onSuccess: () => (setDraft(emptyDraft()), onDone?.()),
  });
  const active = mode === "assign" ? assign : follow;
  const count = profileIds.length;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (staffId !== null) active.mutate(staffId);
  };
  return (
    <section aria-label="Selected customers" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-semibold">{count === 0 ? "Select customers to assign them or give them a follow-up." : `${count} selected`}</p>
        <Segmented label="Bulk action" options={MODES} value={mode} onChange={(m) => (setMode(m), assign.reset(), follow.reset())} />
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3">
        {mode === "follow-up" && <FollowUpFields idPrefix="bulk" value={draft} onChange={setDraft} />}
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1">
            <span className="text-sm font-semibold">{mode === "assign" ? "Looked after by" : "For"}</span>
            <select
              className={inputClass}
              value={staffId ?? ""}
              onChange={(e) => setStaffId(e.target.value ? Number(e.target.value) : null)}
              disabled={!associates.data}
            >
              <option value="">{associates.isPending ? "Loading associates…" : "Choose an associate"}</option>
              <Choices of={(associates.data ?? []).map((a) => ({ value: a.staffId, label: a.name }))} />
            </select>
          </label>
          <Button type="submit" disabled={count === 0 || staffId === null || active.isPending}>
            {active.isPending ? "Working…" : buttonLabel(mode, count)}
          </Button>
        </div>
      </form>
      {associates.isError && <p className="text-sm text-red-800">{associates.error.message}</p>}
      {associates.data?.length === 0 && <p className="text-sm text-stone-600">This store has no active associates yet.</p>}
      <AlertText message={active.error?.message} className="text-sm" />
      {active.data && <OutcomeList results={active.data} label={mode === "assign" ? "Assignment results" : "Follow-up results"} />}
    </section>
  );
}
