"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { setConversionWindowAction } from "@/lib/actions/suggest";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";

export function ConversionWindowForm({ days }: { days: number }) {
  const router = useRouter();
  const [value, setValue] = useState(String(days));
  const save = useMutation({
    mutationFn: () => unwrap(setConversionWindowAction({ days: value.trim() === "" ? Number.NaN : Number(value) })),
    onSuccess: () => router.refresh(),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Conversion window">
      <div className="flex flex-col gap-1">
        <label htmlFor="conversion-days" className="text-sm font-semibold">
          A purchase counts as a conversion within (days)
        </label>
        <input
          id="conversion-days"
          inputMode="numeric"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className="min-h-11 w-28 rounded-xl border border-stone-300 px-3"
        />
      </div>
      <Button type="submit" variant="secondary" disabled={save.isPending}>
        Save
      </Button>
      {save.isSuccess && <p role="status">Saved. It applies from the next attribution run.</p>}
      <AlertText message={save.error?.message} />
    </form>
  );
}
