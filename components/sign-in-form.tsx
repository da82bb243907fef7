"use client";

import { type InputHTMLAttributes, useActionState } from "react";
import { type SignInState, signInAction } from "@/lib/actions/auth";
import { Button } from "./ui/button";
import { FormError } from "./ui/field";

export function SignInForm() {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, { error: null, email: "" });
  return (
    <form action={formAction} className="flex flex-col gap-5" noValidate>
      <LargeField name="email" label="Work email" errors={state.fieldErrors?.email} type="email" autoComplete="username" defaultValue={state.email} />
      <LargeField name="password" label="Password" errors={state.fieldErrors?.password} type="password" autoComplete="current-password" />
      <FormError id="sign-in-error" message={state.error} />
      <Button type="submit" disabled={pending} className="min-h-12 text-lg">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

/** A large labelled required input of the sign-in and unlock screens (id and name alike), its messages tied to it by aria-describedby. */
export function LargeField({
  name,
  label,
  errors,
  className = "text-lg",
  ...input
}: { name: string; label: string; errors?: string[] } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={name} className="font-medium">
        {label}
      </label>
      <input
        id={name}
        name={name}
        required
        {...input}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${name}-error` : undefined}
        className={`min-h-12 rounded-xl border border-stone-300 bg-white px-4 ${className}`}
      />
      <FieldError id={`${name}-error`} messages={errors} />
    </div>
  );
}

export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="text-sm text-red-800">
      {messages.join(" ")}
    </p>
  );
}
