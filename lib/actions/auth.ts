"use server";

import { AuthError } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { checkStaffPin } from "@/lib/auth/pin";
import { checkSignIn, clientAddress, retryMessage } from "@/lib/auth/rate-limit";
import { currentStaff, endCurrentSession } from "@/lib/actions/session";
import { homeStoreIdOf } from "@/lib/auth/staff";
import { TABLET_COOKIE, TABLET_TTL_MS, issueTabletCookie, issueUnlockToken, verifyTabletCookie } from "@/lib/auth/tablet";
import { env } from "@/env";
import { servedOverHttps } from "@/lib/security/transport";
import { type FormState, publicFormAction } from "./safe-action";

export type SignInState = FormState & { email: string };

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your work email.").email("Enter a valid email address.").max(200, "At most 200 characters."),
  password: z.string().min(1, "Enter your password.").max(200, "At most 200 characters."),
});

async function rememberTablet(storeId: number) {
  (await cookies()).set(TABLET_COOKIE, issueTabletCookie(env().AUTH_SECRET, storeId), {
    httpOnly: true,
    sameSite: "strict",
    secure: servedOverHttps(await headers()),
    maxAge: TABLET_TTL_MS / 1000,
    path: "/",
  });
}

/** The sign-in form's action: a wrong email or password says so, and keeps what was typed. */
export const signInAction = publicFormAction(
  { input: signInSchema, failed: (f, fields): SignInState => ({ error: f.message, fieldErrors: f.fieldErrors, email: fields.email ?? "" }) },
  async ({ email, password }, { db }): Promise<SignInState> => {
    const limit = checkSignIn(db, { address: clientAddress(await headers(), env().TRUSTED_PROXIES), account: email });
    if (!limit.allowed) return { error: retryMessage(limit.retryAfterMs), email };
    try {
      await signIn("credentials", { email, password, redirect: false });
    } catch (error) {
      if (error instanceof AuthError) return { error: "That email and password do not match an active staff account.", email };
      throw error;
    }
    // Signed in: this device is now one of the store's tablets, so its associates can unlock it by PIN.
    const storeId = homeStoreIdOf(db, email);
    if (storeId !== null) await rememberTablet(storeId);
    redirect("/");
  },
);

export async function signOutAction(): Promise<void> {
  await endCurrentSession("sign_out");
  (await cookies()).delete(TABLET_COOKIE);
  await signOut({ redirectTo: "/sign-in" });
}

/**
 * Locking ends the session but keeps the device a store tablet, so the next associate unlocks by
 * PIN. The client then loads /lock as a new document, which drops everything held in memory.
 */
export async function lockAction(): Promise<void> {
  await endCurrentSession("lock");
  await signOut({ redirect: false });
}

/** Keeps a tablet in use alive on the server between requests (typing a long note makes none). */
export async function keepSessionAction(): Promise<{ ok: boolean }> {
  return { ok: (await currentStaff()) !== null };
}

export type UnlockState = FormState;

const unlockSchema = z.object({
  staffId: z.coerce.number().int().positive("Choose who you are."),
  pin: z.string().regex(/^\d{4,8}$/, "A PIN is 4 to 8 digits."),
});

export const unlockWithPinAction = publicFormAction(
  { input: unlockSchema, failed: (f): UnlockState => ({ error: f.message, fieldErrors: f.fieldErrors }) },
  async ({ staffId, pin }, { db }): Promise<UnlockState> => {
    const secret = env().AUTH_SECRET;
    const storeId = verifyTabletCookie(secret, (await cookies()).get(TABLET_COOKIE)?.value);
    if (storeId === null) return { error: "This tablet is no longer signed in for a store. Ask a manager to sign in with a password." };
    let check;
    try {
      check = await checkStaffPin(db, staffId, storeId, pin);
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
    // Someone else taking over the tablet ends whoever was still signed in on it.
    await endCurrentSession("switch");
    await signIn("pin", { token: issueUnlockToken(secret, staffId), redirect: false });
    redirect("/");
  },
);
