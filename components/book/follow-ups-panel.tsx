"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { createFollowUpAction } from "@/lib/actions/book";
import type { FollowUpView } from "@/lib/book/follow-ups";
import type { FollowUpTarget } from "@/lib/book/profile-context";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { FollowUpFields, emptyDraft } from "./follow-up-fields";
import { FollowUpItem } from "./follow-up-item";
import { Choices, named } from "@/components/ui/choices";
import { inputClass } from "@/components/ui/field";
import { AlertText } from "../ui/alert-text";

/** The customer's open follow-ups, and a form to add one; a channel without consent comes back refused with the reason. */
export function FollowUpsPanel({
  profileId,
  grant,
  items,
  targets,
}: {
  profileId: number;
  grant: string | null;
  items: FollowUpView[];
  targets: FollowUpTarget[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);
  const [storeId, setStoreId] = useState(targets[0]?.storeId ?? 0);
  const target = targets.find((t) => t.storeId === storeId);
  const [staffId, setStaffId] = useState<number | null>(target?.defaultStaffId ?? target?.associates[0]?.id ?? null);
  const create = useMutation({
    mutationFn: async () => {
      if (!target || staffId === null) throw new Error("Choose who will follow up.");
      const result = await unwrap(createFollowUpAction({ profileId, grant, storeId: target.storeId, staffId, ...draft }));
      if (result.outcome === "refused") throw new Error(result.reason);
    },
    onSuccess: () => (setDraft(emptyDraft()), setOpen(false), router.refresh()),
  });
  const submit = (e: FormEvent) => (e.preventDefault(), create.mutate());
  const chooseStore = (id: number) => {
    const t = targets.find((x) => x.storeId === id);
    setStoreId(id);
    setStaffId(t?.defaultStaffId ?? t?.associates[0]?.id ?? null);
  };
  return (
    <section aria-labelledby="follow-ups-heading" className="flex flex-col gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <div className="flex items-center justify-between gap-2">
        <h2 id="follow-ups-heading" className="text-lg font-bold">
          Follow-ups
        </h2>
        {targets.length > 0 && !open && (
          <Button type="button" variant="secondary" onClick={() => (setOpen(true), create.reset())}>
            Add
          </Button>
        )}
      </div>
      {items.length === 0 && !open && <p className="text-sm text-stone-600">None open.</p>}
      {items.length > 0 && (
        <ul className="flex flex-col gap-2">
          {items.map((f) => (
            <FollowUpItem key={f.id} item={f} showCustomer={false} showAssignee />
          ))}
        </ul>
      )}
      {open && target && (
        <form onSubmit={submit} aria-label="New follow-up" className="flex flex-col gap-3 border-t border-stone-200 pt-3">
          <FollowUpFields idPrefix="profile" value={draft} onChange={setDraft} />
          {targets.length > 1 && (
            <label className="flex flex-col gap-1">
              <span className="text-sm font-semibold">Store</span>
              <select className={inputClass} value={storeId} onChange={(e) => chooseStore(Number(e.target.value))}>
                <Choices of={targets.map((t) => ({ value: t.storeId, label: t.storeName }))} />
              </select>
            </label>
          )}
          {target.associates.length > 1 || target.associates[0]?.id !== staffId ? (
            <label className="flex flex-col gap-1">
              <span className="text-sm font-semibold">For</span>
              <select className={inputClass} value={staffId ?? ""} onChange={(e) => setStaffId(e.target.value ? Number(e.target.value) : null)}>
                <option value="">Choose an associate</option>
                <Choices of={named(target.associates)} />
              </select>
            </label>
          ) : (
            <p className="text-sm text-stone-600">For {target.associates[0]?.name}</p>
          )}
          <AlertText message={create.error?.message} className="text-sm" />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={create.isPending || staffId === null}>
              {create.isPending ? "Saving…" : "Save follow-up"}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
