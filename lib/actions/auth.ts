"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/auth";

export type SignInState = { error: string | null; email: string };

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your work email.").email("Enter a valid email address.").max(200),
  password: z.string().min(1, "Enter your password.").max(200),
});

/** The sign-in form's action: a wrong email or password says so, and keeps what was typed. */
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const raw = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { error: parsed.error.issues[0].message, email: raw.email };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: "/" });
  } catch (error) {
    if (error instanceof AuthError) return { error: "That email and password do not match an active staff account.", email: raw.email };
    throw error;
  }
  return { error: null, email: raw.email };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
