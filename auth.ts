import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { env } from "@/env";
import { checkSignIn, clientAddress, recordSignInFailure, recordSignInSuccess } from "@/lib/auth/rate-limit";
import { startSession } from "@/lib/auth/sessions";
import { type StaffIdentity, activeStaff, verifyStaffPassword } from "@/lib/auth/staff";
import { verifyUnlockToken } from "@/lib/auth/tablet";

declare module "next-auth" {
  interface Session {
    user: { staffId: number; role: Role; storeId: number | null } & DefaultSession["user"];
  }
  interface User {
    sessionId?: string;
    staffId?: number;
    role?: Role;
    storeId?: number | null;
  }
}

/** Each sign-in starts a server-side session; the cookie carries its ID (see lib/auth/sessions.ts). */
function userOf(staff: StaffIdentity) {
  return {
    id: String(staff.id),
    name: staff.name,
    email: staff.email,
    staffId: staff.id,
    role: staff.role,
    storeId: staff.storeId,
    sessionId: startSession(getDb(), staff.id, staff.storeId),
  };
}

const credentialsSchema = z.object({ email: z.string().trim().email().max(200), password: z.string().min(1).max(200) });

export const { handlers, auth, signIn, signOut } = NextAuth({
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  // A wrong password is an expected event, not a server error: one line, no stack.
  logger: {
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") console.warn("[auth] failed sign-in attempt");
      else console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        // Checked here too, not only in the form's action, so posting to the auth route directly is limited the same.
        const db = getDb();
        const attempt = { address: clientAddress(request.headers, env().TRUSTED_PROXIES), account: parsed.data.email };
        if (!checkSignIn(db, attempt).allowed) return null;
        const staff = await verifyStaffPassword(db, parsed.data.email, parsed.data.password);
        if (!staff) {
          recordSignInFailure(db, attempt);
          return null;
        }
        recordSignInSuccess(db, attempt);
        return userOf(staff);
      },
    }),
    // The PIN itself is checked (and rate-limited) by the unlock action, which hands over a one-minute token.
    Credentials({
      id: "pin",
      credentials: { token: {} },
      authorize(raw) {
        const token = typeof raw?.token === "string" ? raw.token : "";
        const staffId = verifyUnlockToken(env().AUTH_SECRET, token);
        const staff = staffId === null ? null : activeStaff(getDb(), staffId);
        return staff ? userOf(staff) : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sid = user.sessionId;
        token.staffId = user.staffId;
        token.role = user.role;
        token.storeId = user.storeId;
      }
      return token;
    },
    session({ session, token }) {
      session.user.staffId = token.staffId as number;
      session.user.role = token.role as Role;
      session.user.storeId = (token.storeId as number | null) ?? null;
      return session;
    },
  },
});
