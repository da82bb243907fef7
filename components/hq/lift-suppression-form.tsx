"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { liftSuppressionAction } from "@/lib/actions/privacy";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";

/** For a customer who was erased and now asks to be known again by one of their former details. */
export function LiftSuppressionForm() {
  const inputId = useId();
  const [identifier, setIdentifier] = useState("");
  const lift = useMutation({ mutationFn: (value: string) => unwrap(liftSuppressionAction({ identifier: value })) });
  const submit = (e: FormEvent) => (e.preventDefault(), lift.mutate(identifier));
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <label htmlFor={inputId} className="font-semibold">
        Email, phone number or loyalty ID
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <input
          id={inputId}
          value={identifier}
          onChange={(e) => (setIdentifier(e.target.value), lift.reset())}
          autoComplete="off"
          className="min-h-11 min-w-0 flex-1 rounded-xl border border-stone-300 px-3"
        />
        <Button type="submit" variant="secondary" disabled={!identifier.trim() || lift.isPending}>
          {lift.isPending ? "Allowing…" : "Allow again"}
        </Button>
      </div>
      {lift.isSuccess && (
        <p role="status" className="rounded-xl bg-stone-100 p-3">
          {lift.data.lifted > 0
            ? `Sources may load records with ${lift.data.searched} again.`
            : `${lift.data.searched} is not among the details of erased customers: nothing to allow.`}
        </p>
      )}
      <AlertText message={lift.error?.message} />
    </form>
  );
}
