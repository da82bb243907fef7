"use client";

import { useActionState } from "react";
import { type SignInState, signInAction } from "@/lib/actions/auth";
import { Button } from "./ui/button";

export function SignInForm() {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, { error: null, email: "" });
  return (
    <form action={formAction} className="flex flex-col gap-5" noValidate>
      <div className="flex flex-col gap-2">
        <label htmlFor="email" className="font-medium">
          Work email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-invalid={state.fieldErrors?.email ? true : undefined}
          aria-describedby={state.fieldErrors?.email ? "email-error" : undefined}
          className="min-h-12 rounded-xl border border-stone-300 bg-white px-4 text-lg"
        />
        <FieldError id="email-error" messages={state.fieldErrors?.email} />
      </div>
      <div className="flex flex-col gap-2">
        <label htmlFor="password" className="font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.fieldErrors?.password ? true : undefined}
          aria-describedby={state.fieldErrors?.password ? "password-error" : undefined}
          className="min-h-12 rounded-xl border border-stone-300 bg-white px-4 text-lg"
        />
        <FieldError id="password-error" messages={state.fieldErrors?.password} />
      </div>
      {state.error && (
        <p id="sign-in-error" role="status" className="rounded-xl bg-red-50 px-4 py-3 text-red-800">
          {state.error}
        </p>
      )}
      <Button type="submit" disabled={pending} className="min-h-12 text-lg">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
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
