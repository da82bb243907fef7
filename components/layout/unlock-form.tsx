"use client";

import { useActionState, useState } from "react";
import { type UnlockState, unlockWithPinAction } from "@/lib/actions/auth";
import { FieldError, LargeField } from "../sign-in-form";
import { FormError } from "../ui/field";
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
            <label
              key={p.id}
              className={`flex min-h-12 cursor-pointer items-center gap-2 rounded-xl px-4 ring-1 ${staffId === p.id ? "bg-brand-50 ring-2 ring-brand-600" : "ring-stone-300"}`}
            >
              <input
                type="radio"
                name="staffId"
                value={p.id}
                checked={staffId === p.id}
                onChange={() => setStaffId(p.id)}
                className="size-5 accent-brand-600"
              />
              {p.name}
            </label>
          ))}
        </div>
        <FieldError id="staff-error" messages={state.fieldErrors?.staffId} />
      </fieldset>
      <LargeField
        name="pin"
        label="PIN"
        errors={state.fieldErrors?.pin}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        pattern="\d{4,8}"
        maxLength={8}
        className="text-2xl tracking-widest"
      />
      <FormError message={state.error} />
      <Button type="submit" disabled={pending || staffId === null} className="min-h-12 text-lg">
        {pending ? "Unlocking…" : "Unlock"}
      </Button>
    </form>
  );
}
