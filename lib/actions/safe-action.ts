import "server-only";
import { z } from "zod";
import { type Db } from "@/db/client";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { writeAuditSoon } from "@/lib/audit/deferred";
import { assertChain, assertCustomers, assertProfile, assertStore } from "@/lib/auth/scope";
import { currentStaff } from "@/lib/actions/session";
import type { StaffIdentity } from "@/lib/auth/staff";
import { env } from "@/env";
import { DomainError, type Failure, type Result, isNavigationError, toFailure } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validate";

export type ActionContext = { staff: StaffIdentity; db: Db; /** How the customer was reached, for a profile-scoped action. */ via: string | null };

type ProfileRef = { profileId: number; grant: string | null };

/**
 * What the action touches (see lib/auth/scope.ts). The short forms read the input's own fields:
 * "store" its storeId, "profile" its profileId and grant, "customers" its profileIds or
 * profileA/profileB. The long forms say where the ID is for inputs shaped otherwise.
 */
export type Scope<I> =
  | "chain"
  | "own"
  | (I extends { storeId: number } ? "store" : never)
  | (I extends ProfileRef ? "profile" : never)
  | (I extends { profileIds: number[] } | { profileA: number; profileB: number } ? "customers" : never)
  | { store: (input: I, ctx: Omit<ActionContext, "via">) => number }
  | { profile: (input: I, ctx: Omit<ActionContext, "via">) => ProfileRef }
  | { customers: (input: I, ctx: Omit<ActionContext, "via">) => number[] };

type Options<S extends z.ZodType> = {
  input: S;
  roles: readonly Role[];
  scope: Scope<z.output<S>>;
  /** For a profile-scoped read: the audit action written with the customer and how they were reached. */
  read?: string;
};

function authorise<I>(scope: Scope<I>, input: I, ctx: Omit<ActionContext, "via">): string | null {
  const { staff, db } = ctx;
  const fields = input as Record<string, unknown>;
  if (scope === "own") return null;
  if (scope === "chain") return (assertChain(staff), null);
  if (scope === "store") return (assertStore(staff, fields.storeId as number), null);
  if (scope === "profile" || (typeof scope === "object" && "profile" in scope)) {
    const ref = scope === "profile" ? (input as ProfileRef) : scope.profile(input, ctx);
    return assertProfile(db, env().AUTH_SECRET, staff, ref.profileId, ref.grant).via;
  }
  if (scope === "customers") {
    const ids = Array.isArray(fields.profileIds) ? (fields.profileIds as number[]) : [fields.profileA as number, fields.profileB as number];
    return (assertCustomers(db, staff, ids), null);
  }
  if ("store" in scope) return (assertStore(staff, scope.store(input, ctx)), null);
  return (assertCustomers(db, staff, scope.customers(input, ctx)), null);
}

/**
 * Every signed-in server action is built with this: it loads the staff member from the server's
 * own session, checks the role, parses the input with zod (all field errors kept), checks the
 * declared scope before the handler runs, audits a declared read, and turns any failure into a
 * typed result. A handler's redirect() passes through, as Next carries it out.
 */
export function staffAction<S extends z.ZodType, T>(
  options: Options<S>,
  handler: (input: z.output<S>, ctx: ActionContext) => T | Promise<T>,
): (input: z.input<S>) => Promise<Result<T>> {
  return async (raw) => {
    try {
      const staff = await currentStaff();
      if (!staff) throw new DomainError("unauthenticated");
      if (!options.roles.includes(staff.role)) throw new DomainError("forbidden");
      const input = parseOrThrow(options.input, raw);
      const db = getDb();
      const via = authorise(options.scope, input, { staff, db });
      const data = await handler(input, { staff, db, via });
      if (options.read) {
        const { profileId } = input as ProfileRef;
        writeAuditSoon(db, { staffId: staff.id, storeId: staff.storeId, action: options.read, profileId, detail: { via } });
      }
      return { ok: true, data };
    } catch (error) {
      if (isNavigationError(error)) throw error;
      return toFailure(error);
    }
  };
}

/** For forms posted before anyone is signed in: a failure comes back in the form's own state. */
export type FormState = { error: string | null; fieldErrors?: Record<string, string[]> };

/**
 * Sign-in and PIN unlock: the body must be form data (anything else is refused as bad input, not
 * a crash), the fields are parsed with every field's error kept, and any failure becomes the
 * form's state with a message fit for the screen.
 */
export function publicFormAction<S extends z.ZodType, State extends FormState>(
  options: { input: S; failed: (failure: Failure, fields: Record<string, string>, previous: State) => State },
  handler: (input: z.output<S>, ctx: { db: Db }) => Promise<State>,
): (previous: State, form: FormData) => Promise<State> {
  return async (previous, form) => {
    let fields: Record<string, string> = {};
    try {
      if (!(form instanceof FormData)) throw new DomainError("invalid_input", "Send the form's fields as form data.");
      fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : ""]));
      return await handler(parseOrThrow(options.input, fields), { db: getDb() });
    } catch (error) {
      if (isNavigationError(error)) throw error;
      return options.failed(toFailure(error), fields, previous);
    }
  };
}

export const ALL_ROLES = ["associate", "manager", "hq"] as const satisfies readonly Role[];
export const MANAGERS = ["manager", "hq"] as const satisfies readonly Role[];
export const HQ = ["hq"] as const satisfies readonly Role[];
