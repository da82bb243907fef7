"use client";

import { useActionState, useState } from "react";
import { type UnlockState, unlockWithPinAction } from "@/lib/actions/auth";
import { FieldError } from "../sign-in-form";
import { Button } from "../ui/button";

export function UnlockForm({ people }: { people: { id: number; name: string }[] }) {
  const [state, formAction, pending] = useActionState<UnlockState, FormData>(unlockWithPinAction, { error: null });
  const [staffId, setStaffId] = useState(people.length === 1 ? people[0].id : null);
  return (
    <form action={formAction} className="flex flex-col gap-5">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-medium">Who are you?</legend>
        <div className="grid grid-cols-2 gap-2">
          {people.map((p) => (
            <label key={p.id} className={`flex min-h-12 cursor-pointer items-center gap-2 rounded-xl px-4 ring-1 ${staffId === p.id ? "bg-brand-50 ring-2 ring-brand-600" : "ring-stone-300"}`}>
              <input type="radio" name="staffId" value={p.id} checked={staffId === p.id} onChange={() => setStaffId(p.id)} className="size-5 accent-brand-600" />
              {p.name}
            </label>
          ))}
        </div>
        <FieldError id="staff-error" messages={state.fieldErrors?.staffId} />
      </fieldset>
      <div className="flex flex-col gap-2">
        <label htmlFor="pin" className="font-medium">
          PIN
        </label>
        <input
          id="pin"
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          pattern="\d{4,8}"
          maxLength={8}
          required
          aria-invalid={state.fieldErrors?.pin ? true : undefined}
          aria-describedby={state.fieldErrors?.pin ? "pin-error" : undefined}
          className="min-h-12 rounded-xl border border-stone-300 bg-white px-4 text-2xl tracking-widest"
        />
        <FieldError id="pin-error" messages={state.fieldErrors?.pin} />
      </div>
      {state.error && (
        <p role="status" className="rounded-xl bg-red-50 px-4 py-3 text-red-800">
          {state.error}
        </p>
      )}
      <Button type="submit" disabled={pending || staffId === null} className="min-h-12 text-lg">
        {pending ? "Unlocking…" : "Unlock"}
      </Button>
    </form>
  );
}
