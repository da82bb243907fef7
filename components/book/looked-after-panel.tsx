"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { assignCustomersAction, unassignCustomerAction } from "@/lib/actions/book";
import type { LookedAfter } from "@/lib/book/assignments";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { Choices, named } from "@/components/ui/choices";
import { Panel } from "@/components/ui/panel";
import { inputClass } from "@/components/ui/field";
import { AlertText } from "../ui/alert-text";

/** "Looked after by": read-only for associates; managers and head office assign, move or remove. */
export function LookedAfterPanel({
  profileId,
  entries,
  associates,
  canManage,
}: {
  profileId: number;
  entries: LookedAfter[];
  associates: Record<number, { id: number; name: string }[]>;
  canManage: boolean;
}) {
  if (entries.length === 0 && !canManage) return null;
  return (
    <Panel headingId="looked-after-heading" title="Looked after by">
      {entries.length === 0 ? (
        <p className="text-sm text-stone-600">Not a customer of any store yet: assign once they have bought in one.</p>
      ) : (
        <ul className="mt-2 flex flex-col gap-3">
          {entries.map((e) => (
            <li key={e.storeId}>
              {canManage ? <StoreAssignment profileId={profileId} entry={e} associates={associates[e.storeId] ?? []} /> : <ReadOnly entry={e} />}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ReadOnly({ entry }: { entry: LookedAfter }) {
  return (
    <p>
      <span className="font-semibold">{entry.assignee?.name ?? "Nobody"}</span> <span className="text-sm text-stone-600">at {entry.storeName}</span>
    </p>
  );
}

function StoreAssignment({ profileId, entry, associates }: { profileId: number; entry: LookedAfter; associates: { id: number; name: string }[] }) {
  const router = useRouter();
  const [staffId, setStaffId] = useState(entry.assignee?.id ?? associates[0]?.id ?? 0);
  const save = useMutation({
    mutationFn: async () => {
      const [result] = await unwrap(assignCustomersAction({ storeId: entry.storeId, staffId, profileIds: [profileId] }));
      if (result.outcome === "refused") throw new Error(result.reason);
    },
    onSuccess: () => router.refresh(),
  });
  const remove = useMutation({ mutationFn: () => unwrap(unassignCustomerAction({ storeId: entry.storeId, profileId })), onSuccess: () => router.refresh() });
  const failed = save.error ?? remove.error;
  if (!entry.eligible)
    return <p className="text-sm text-stone-600">Not a customer of {entry.storeName}: only someone who has bought there can join its client book.</p>;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-stone-600" data-testid="assignee">
        {entry.storeName}: {entry.assignee ? <span className="font-semibold text-stone-900">{entry.assignee.name}</span> : "nobody yet"}
      </p>
      {associates.length === 0 ? (
        <p className="text-sm text-stone-600">No active associates in this store.</p>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <label className="sr-only" htmlFor={`assignee-${entry.storeId}`}>
            Associate at {entry.storeName}
          </label>
          <select id={`assignee-${entry.storeId}`} className={inputClass} value={staffId} onChange={(e) => setStaffId(Number(e.target.value))}>
            <Choices of={named(associates)} />
          </select>
          <Button type="button" variant="secondary" disabled={save.isPending || staffId === entry.assignee?.id} onClick={() => save.mutate()}>
            {entry.assignee ? "Move" : "Assign"}
          </Button>
          {entry.assignee && (
            <Button type="button" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Remove
            </Button>
          )}
        </div>
      )}
      <AlertText message={failed?.message} className="text-sm" />
    </div>
  );
}
