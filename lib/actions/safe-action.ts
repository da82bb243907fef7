import "server-only";
import type { z } from "zod";
import { type Db } from "@/db/client";
import { getDb } from "@/db/server";
import type { Role } from "@/db/schema";
import { currentStaff } from "@/lib/next/session";
import type { StaffIdentity } from "@/lib/auth/staff";
import { DomainError, type Result, toFailure } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validate";

export type ActionContext = { staff: StaffIdentity; db: Db };

/**
 * Every server action is built with this: it loads the signed-in staff member from the server's
 * own session, checks the role, parses the input with zod (all field errors kept) and turns any
 * failure into a typed result. Store scope is checked by the handler, which knows the resource.
 */
export function staffAction<S extends z.ZodType, T>(
  options: { input: S; roles: readonly Role[] },
  handler: (input: z.output<S>, ctx: ActionContext) => T | Promise<T>,
): (input: z.input<S>) => Promise<Result<T>> {
  return async (raw) => {
    try {
      const staff = await currentStaff();
      if (!staff) throw new DomainError("unauthenticated");
      if (!options.roles.includes(staff.role)) throw new DomainError("forbidden");
      const input = parseOrThrow(options.input, raw);
      return { ok: true, data: await handler(input, { staff, db: getDb() }) };
    } catch (error) {
      return toFailure(error);
    }
  };
}

export const ALL_ROLES = ["associate", "manager", "hq"] as const satisfies readonly Role[];
