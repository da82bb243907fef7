"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { checkEnrolmentAction, enrolCustomerAction } from "@/lib/actions/profile";
import { Button, buttonClass } from "../ui/button";
import { useDebounced } from "../ui/use-debounced";
import { Field, FormError, inputClass } from "../ui/field";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { CONSENT_CHANNELS, CONSENT_LABELS } from "@/lib/customers/channels";
import { CheckChip } from "@/components/ui/check-chip";

const SIZE_CATEGORIES = ["Tops", "Trousers", "Shoes"];
const CHECK_DELAY_MS = 300;
const CHANNELS = CONSENT_CHANNELS.map((id) => ({ id, label: CONSENT_LABELS[id] }));

type Fields = { firstName: string; lastName: string; email: string; phone: string };
/** The contact fields; phone and email are checked as they are typed (already known, a placeholder). */
const FIELDS = [
  { id: "firstName", label: "First name", type: "text" },
  { id: "lastName", label: "Last name", type: "text" },
  { id: "phone", label: "Phone", type: "tel" },
  { id: "email", label: "Email", type: "email" },
] as const;

export function EnrolForm({ initialQuery }: { initialQuery: string }) {
  const [fields, setFields] = useState<Fields>(() => ({
    firstName: "",
    lastName: "",
    email: initialQuery.includes("@") ? initialQuery : "",
    phone: /^[+\d\s()-]+$/.test(initialQuery) ? initialQuery : "",
  }));
  const [consents, setConsents] = useState({ email: false, sms: false, post: false });
  const [sizes, setSizes] = useState<Record<string, string>>({});
  // Each string on its own: an object, new every render, would set a new value every 300 ms for as long as the form is open.
  const contact = { email: useDebounced(fields.email.trim(), CHECK_DELAY_MS), phone: useDebounced(fields.phone.trim(), CHECK_DELAY_MS) };
  const check = useQuery({
    queryKey: ["enrol-check", contact.email, contact.phone],
    queryFn: () => unwrap(checkEnrolmentAction(contact)),
    enabled: contact.email !== "" || contact.phone !== "",
  });
  const enrol = useMutation({
    mutationFn: () => enrolCustomerAction({ ...fields, consents, sizes }),
  });
  const set = (k: keyof Fields) => (e: React.ChangeEvent<HTMLInputElement>) => setFields((f) => ({ ...f, [k]: e.target.value }));
  const serverErrors = enrol.data && !enrol.data.ok ? (enrol.data.fieldErrors ?? {}) : {};
  const liveErrors = check.data?.fieldErrors ?? {};
  const errorFor = (k: string) => serverErrors[k]?.[0] ?? (liveErrors as Record<string, string>)[k];
  // Only for what is still in the box: the check runs on the debounced value.
  const warningFor = (k: "email" | "phone") => (fields[k].trim() === contact[k] ? check.data?.warnings[k] : undefined);

  if (enrol.data?.ok) {
    const done = enrol.data.data;
    return (
      <section aria-labelledby="enrolled-heading" className="flex flex-col items-start gap-4 rounded-3xl bg-white p-6 ring-1 ring-stone-200">
        <h1 id="enrolled-heading" className="text-2xl font-bold">
          {fields.firstName} is enrolled
        </h1>
        <p className="text-lg">
          Loyalty ID:{" "}
          <strong data-testid="new-loyalty-id" className="tracking-wider">
            {done.loyaltyId}
          </strong>
        </p>
        <div className="size-48" role="img" aria-label={`QR code for loyalty ID ${done.loyaltyId}`} dangerouslySetInnerHTML={{ __html: done.qrSvg }} />
        <p className="text-stone-600">Let the customer scan the code into their phone’s wallet, or read the ID out.</p>
        <Link href={done.href} className={buttonClass("primary")}>
          Open {fields.firstName}’s profile
        </Link>
      </section>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    enrol.mutate();
  }
  const existing = check.data?.existing ?? [];
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-5 rounded-3xl bg-white p-6 ring-1 ring-stone-200" aria-labelledby="enrol-heading">
      <h1 id="enrol-heading" className="text-2xl font-bold">
        Enrol a new customer
      </h1>
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <Field
            key={f.id}
            id={f.id}
            label={f.label}
            error={errorFor(f.id)}
            warning={f.id === "phone" || f.id === "email" ? (warningFor(f.id) ?? "") : undefined}
          >
            {(control) => (
              <input
                {...control}
                name={f.id}
                type={f.type}
                value={fields[f.id]}
                onChange={set(f.id)}
                autoComplete="off"
                className={`${inputClass} min-h-12 text-lg`}
              />
            )}
          </Field>
        ))}
      </div>
      {existing.length > 0 && (
        <div role="status" className="rounded-2xl bg-amber-50 px-5 py-4 ring-1 ring-amber-200">
          <p className="font-semibold">This {existing[0].matchedOn.includes("phone") ? "phone number" : "email"} is already known.</p>
          <ul className="mt-2 flex flex-col gap-2">
            {existing.map((m) => (
              <li key={m.href}>
                <Link href={m.href} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline">
                  Is this {m.name}
                  {m.city ? `, last seen in ${m.city}` : ""}
                  {m.lastPurchaseAt ? ` (bought ${formatDate(m.lastPurchaseAt)})` : ""}?
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset>
        <legend className="font-semibold">May we contact them? Ask for each; nothing is ticked for them.</legend>
        <div className="mt-2 flex flex-wrap gap-3">
          {CHANNELS.map((c) => (
            <CheckChip
              key={c.id}
              label={c.label}
              inputClassName="size-5 accent-brand-600"
              checked={consents[c.id]}
              onChange={(checked) => setConsents((s) => ({ ...s, [c.id]: checked }))}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="font-semibold">Sizes (optional)</legend>
        <div className="mt-2 flex flex-wrap gap-3">
          {SIZE_CATEGORIES.map((c) => (
            <label key={c} className="flex flex-col text-sm">
              {c}
              <input
                value={sizes[c] ?? ""}
                maxLength={10}
                onChange={(e) => setSizes((s) => ({ ...s, [c]: e.target.value }))}
                className="min-h-11 w-24 rounded-xl border border-stone-300 px-3"
              />
            </label>
          ))}
        </div>
      </fieldset>
      <FormError
        message={enrol.data && !enrol.data.ok ? enrol.data.message : enrol.isError ? "Could not reach the server. Check the connection and try again." : null}
      />
      <Button type="submit" disabled={enrol.isPending} className="self-start">
        {enrol.isPending ? "Enrolling…" : "Enrol customer"}
      </Button>
    </form>
  );
}
