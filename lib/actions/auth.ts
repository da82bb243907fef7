"use server";

import { AuthError } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/server";
import { signIn, signOut } from "@/lib/next/auth";
import { checkStaffPin } from "@/lib/auth/pin";
import { homeStoreIdOf } from "@/lib/auth/staff";
import { attemptKey, clientAddress, passwordLimiter, retryMessage } from "@/lib/auth/rate-limit";
import { TABLET_COOKIE, TABLET_TTL_MS, issueTabletCookie, issueUnlockToken, verifyTabletCookie } from "@/lib/auth/tablet";
import { env } from "@/env";

export type SignInState = { error: string | null; email: string };

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your work email.").email("Enter a valid email address.").max(200),
  password: z.string().min(1, "Enter your password.").max(200),
});

async function rememberTablet(storeId: number) {
  (await cookies()).set(TABLET_COOKIE, issueTabletCookie(env().AUTH_SECRET, storeId), {
    httpOnly: true,
    sameSite: "strict",
    secure: process.env.AUTH_URL?.startsWith("https") ?? false,
    maxAge: TABLET_TTL_MS / 1000,
    path: "/",
  });
}

/** The sign-in form's action: a wrong email or password says so, and keeps what was typed. */
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const raw = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { error: parsed.error.issues[0].message, email: raw.email };
  const limit = passwordLimiter.check(attemptKey(clientAddress(await headers()), parsed.data.email));
  if (!limit.allowed) return { error: retryMessage(limit.retryAfterMs), email: raw.email };
  try {
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return { error: "That email and password do not match an active staff account.", email: raw.email };
    throw error;
  }
  // Signed in: this device is now one of the store's tablets, so its associates can unlock it by PIN.
  const storeId = homeStoreIdOf(getDb(), parsed.data.email);
  if (storeId !== null) await rememberTablet(storeId);
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  (await cookies()).delete(TABLET_COOKIE);
  await signOut({ redirectTo: "/sign-in" });
}

/**
 * Locking ends the session but keeps the device a store tablet, so the next associate unlocks by
 * PIN. The client then loads /lock as a new document, which drops everything held in memory.
 */
export async function lockAction(): Promise<void> {
  await signOut({ redirect: false });
}

export type UnlockState = { error: string | null };

const unlockSchema = z.object({ staffId: z.coerce.number().int().positive(), pin: z.string().regex(/^\d{4,8}$/, "A PIN is 4 to 8 digits.") });

export async function unlockWithPinAction(_prev: UnlockState, form: FormData): Promise<UnlockState> {
  const parsed = unlockSchema.safeParse({ staffId: form.get("staffId"), pin: form.get("pin") });
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  const secret = env().AUTH_SECRET;
  const storeId = verifyTabletCookie(secret, (await cookies()).get(TABLET_COOKIE)?.value);
  if (storeId === null) return { error: "This tablet is no longer signed in for a store. Ask a manager to sign in with a password." };
  let check;
  try {
    check = await checkStaffPin(getDb(), parsed.data.staffId, storeId, parsed.data.pin);
  } catch {
    return { error: "That person cannot unlock this tablet with a PIN." };
  }
  if (!check.ok) {
    if (check.reason === "locked") {
      const minutes = Math.max(1, Math.ceil((check.until - Date.now()) / 60_000));
      return { error: `Too many wrong PINs. PIN unlock is blocked for ${minutes} minute${minutes === 1 ? "" : "s"}; a manager can sign in with a password.` };
    }
    return { error: `Wrong PIN. ${check.attemptsLeft} attempt${check.attemptsLeft === 1 ? "" : "s"} left before PIN unlock is blocked.` };
  }
  await signIn("pin", { token: issueUnlockToken(secret, parsed.data.staffId), redirect: false });
  redirect("/");
}
