"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { createStoreAction, updateStoreAction } from "@/lib/actions/hq";
import { Button } from "../ui/button";
import { Field, TextField } from "../ui/field";
import { CountrySelect } from "./country-select";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";

export type StoreValues = { code: string; name: string; city: string; country: string; phone: string; lockTimeoutSeconds: number };

const EMPTY = { code: "", name: "", city: "", country: "GB", phone: "", lockTimeoutSeconds: "120" };
const LOCK_HINT = "30 to 1800. The store's tablets lock after this long without a touch.";

/** One form for a new store and for editing one: the same fields, checked by the same schema on the server. */
export function StoreForm({ storeId, initial, countries }: { storeId: number | null; initial: StoreValues | null; countries: string[] }) {
  const router = useRouter();
  const start = initial ? { ...initial, lockTimeoutSeconds: String(initial.lockTimeoutSeconds) } : EMPTY;
  const [form, setForm] = useState(start);
  const set = (patch: Partial<typeof start>) => setForm((f) => ({ ...f, ...patch }));
  const save = useMutation({
    mutationFn: () => {
      const store = { ...form, lockTimeoutSeconds: form.lockTimeoutSeconds.trim() === "" ? Number.NaN : Number(form.lockTimeoutSeconds) };
      return storeId === null ? unwrap(createStoreAction(store)).then(() => null) : unwrap(updateStoreAction({ storeId, store })).then((r) => r.changed);
    },
    onSuccess: () => {
      if (storeId === null) setForm(EMPTY);
      router.refresh();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const id = (field: string) => `store-${storeId ?? "new"}-${field}`;
  const text = (field: "code" | "name" | "city" | "phone", label: string, extra: { hint?: string; type?: string } = {}) => {
    return (
      <TextField
        id={id(field)}
        label={label}
        error={errors[field]?.[0]}
        hint={extra.hint}
        type={extra.type ?? "text"}
        value={form[field]}
        onText={(value) => set({ [field]: value })}
        autoComplete="off"
      />
    );
  };
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  const label = storeId === null ? "New store" : `Settings of ${initial?.name}`;
  return (
    <form onSubmit={submit} noValidate aria-label={label} className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-3">
        {text("code", "Code")}
        {text("name", "Name")}
        {text("city", "City")}
        <Field id={id("country")} label="Country" error={errors.country?.[0]}>
          {(control) => <CountrySelect control={control} value={form.country} onChange={(country) => set({ country })} countries={countries} />}
        </Field>
        {text("phone", "Phone", { type: "tel" })}
        <TextField
          id={id("lock")}
          label="Tablet lock after (seconds)"
          error={errors.lockTimeoutSeconds?.[0]}
          hint={LOCK_HINT}
          inputMode="numeric"
          value={form.lockTimeoutSeconds}
          onText={(lockTimeoutSeconds) => set({ lockTimeoutSeconds })}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant={storeId === null ? "primary" : "secondary"} disabled={save.isPending}>
          {storeId === null ? "Create store" : "Save"}
        </Button>
        <p role="status" className={save.isError ? "text-red-800" : "text-emerald-800"}>
          {save.isError ? save.error.message : save.isSuccess ? (storeId === null ? "Store created." : save.data?.length ? "Saved." : "Nothing changed.") : ""}
        </p>
      </div>
    </form>
  );
}
