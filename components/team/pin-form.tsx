"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { setAssociatePinAction } from "@/lib/actions/team";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";

export function PinForm({ staffId, name }: { staffId: number; name: string }) {
  const [pin, setPin] = useState("");
  const save = useMutation({ mutationFn: () => unwrap(setAssociatePinAction({ staffId, pin })), onSuccess: () => setPin("") });
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`pin-${staffId}`} className="sr-only">
        New PIN for {name}
      </label>
      <input
        id={`pin-${staffId}`}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={8}
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        placeholder="New PIN"
        className="min-h-11 w-32 rounded-xl border border-stone-300 px-3"
      />
      <Button type="submit" variant="secondary" disabled={save.isPending || pin === ""}>
        Set PIN
      </Button>
      <span role="status" className={`text-sm ${save.isError ? "text-red-800" : "text-emerald-800"}`}>
        {save.isError ? save.error.message : save.isSuccess ? `PIN set for ${name}.` : ""}
      </span>
    </form>
  );
}
