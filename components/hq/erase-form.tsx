"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { eraseSubjectAction } from "@/lib/actions/privacy";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";

export function EraseForm({ profileId, name }: { profileId: number; name: string }) {
  const router = useRouter();
  const inputId = useId();
  const [confirm, setConfirm] = useState("");
  // The page then shows the customer as erased, with what is left (anonymous sales).
  const erase = useMutation({
    mutationFn: () => unwrap(eraseSubjectAction({ profileId, confirm })),
    onSuccess: () => router.refresh(),
  });
  const matches = [name.toLowerCase(), String(profileId)].includes(confirm.trim().toLowerCase());
  const submit = (e: FormEvent) => (e.preventDefault(), erase.mutate());
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <label htmlFor={inputId} className="font-semibold">
        Type <span className="rounded bg-stone-100 px-1">{name}</span> or <span className="rounded bg-stone-100 px-1">{profileId}</span> to confirm
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <input
          id={inputId}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          autoComplete="off"
          className="min-h-11 min-w-0 flex-1 rounded-xl border border-stone-300 px-3"
          aria-describedby={`${inputId}-help`}
        />
        <Button type="submit" disabled={!matches || erase.isPending} className="bg-red-700 hover:bg-red-800">
          {erase.isPending ? "Erasing…" : "Erase customer"}
        </Button>
      </div>
      <p id={`${inputId}-help`} className="text-sm text-stone-600">
        This cannot be undone. Download the export first if the customer asked for a copy.
      </p>
      <AlertText message={erase.error?.message} />
    </form>
  );
}
