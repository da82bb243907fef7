"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { IdentifierType } from "@/lib/hq/identity";
import { addBlockedValueAction, removeBlockedValueAction, saveIdentityFieldsAction } from "@/lib/actions/hq";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { CountrySelect } from "./country-select";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";

export function IdentityFieldsForm({
  defaultCountry,
  maxProfilesPerIdentifier,
  countries,
}: {
  defaultCountry: string;
  maxProfilesPerIdentifier: number;
  countries: string[];
}) {
  const router = useRouter();
  const [country, setCountry] = useState(defaultCountry);
  const [cap, setCap] = useState(String(maxProfilesPerIdentifier));
  const save = useMutation({
    mutationFn: () => unwrap(saveIdentityFieldsAction({ defaultCountry: country, maxProfilesPerIdentifier: cap.trim() === "" ? Number.NaN : Number(cap) })),
    onSuccess: () => router.refresh(),
  });
  const errors = fieldErrorsOf(save.error);
  const capHint = "An email, phone or card already on more profiles than this stops linking and goes to review.";
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <form onSubmit={submit} noValidate aria-label="Identity settings" className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="identity-country"
          label="Default country for phone numbers"
          error={errors.defaultCountry?.[0]}
          hint="Numbers typed without a country code are read in this country."
        >
          {(control) => <CountrySelect control={control} value={country} onChange={setCountry} countries={countries} />}
        </Field>
        <Field id="identity-cap" label="Most profiles one identifier may link" error={errors.maxProfilesPerIdentifier?.[0]} hint={capHint}>
          {(control) => <input {...control} inputMode="numeric" value={cap} onChange={(e) => setCap(e.target.value)} className={`${inputClass} w-28`} />}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={save.isPending}>
          Save
        </Button>
        <p role="status" className={save.isError ? "text-red-800" : "text-emerald-800"}>
          {save.isError ? save.error.message : save.isSuccess ? "Saved. Lookups and imports use it from now on." : ""}
        </p>
      </div>
    </form>
  );
}

const TYPE_LABELS: Record<IdentifierType, { title: string; one: string; placeholder: string }> = {
  email: { title: "Email addresses", one: "email address", placeholder: "noemail@example.com" },
  phone: { title: "Phone numbers", one: "phone number", placeholder: "07000 000000" },
  loyalty: { title: "Loyalty IDs", one: "loyalty ID", placeholder: "CL0000000000" },
};

/** Values typed as staff see them; the server stores them normalised, exactly as identifiers are. */
export function BlockedValues({ type, values }: { type: IdentifierType; values: string[] }) {
  const router = useRouter();
  const [value, setValue] = useState("");
  const add = useMutation({
    mutationFn: () => unwrap(addBlockedValueAction({ type, value })),
    onSuccess: () => {
      setValue("");
      router.refresh();
    },
  });
  const remove = useMutation({ mutationFn: (v: string) => unwrap(removeBlockedValueAction({ type, value: v })), onSuccess: () => router.refresh() });
  const id = `block-${type}`;
  const error = fieldErrorsOf(add.error).value?.[0] ?? add.error?.message;
  const { title, one, placeholder } = TYPE_LABELS[type];
  const submit = (e: FormEvent) => (e.preventDefault(), add.mutate());
  return (
    <section aria-label={`Blocked ${title.toLowerCase()}`} className="flex flex-col gap-3 rounded-2xl bg-stone-50 p-4 ring-1 ring-stone-200">
      <h3 className="font-bold">{title}</h3>
      {values.length === 0 ? (
        <p className="text-sm text-stone-600">None blocked.</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {values.map((v) => (
            <li key={v} className="flex items-center gap-1 rounded-xl bg-white pl-3 ring-1 ring-stone-300">
              <span className="font-mono text-sm">{v}</span>
              <button
                type="button"
                onClick={() => remove.mutate(v)}
                disabled={remove.isPending}
                aria-label={`Unblock ${v}`}
                className="min-h-11 min-w-11 rounded-xl text-lg text-stone-600 hover:bg-stone-200"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
        <Field id={id} label={`Block ${one}`} error={error}>
          {(control) => (
            <input {...control} value={value} onChange={(e) => setValue(e.target.value)} placeholder={placeholder} autoComplete="off" className={inputClass} />
          )}
        </Field>
        <Button type="submit" variant="secondary" disabled={add.isPending || value.trim() === ""}>
          Block
        </Button>
        <p role="status" className="text-sm text-emerald-800">
          {add.isSuccess ? (add.data.added ? `Blocked ${add.data.value}.` : `${add.data.value} was already blocked.`) : ""}
        </p>
      </form>
      <AlertText message={remove.error?.message} className="text-sm" />
    </section>
  );
}
