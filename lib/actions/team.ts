"use server";

import { z } from "zod";
import type { Db } from "@/db/client";
import { writeAudit } from "@/lib/audit/audit";
import { setStaffPin } from "@/lib/auth/pin";
import { activeStaff } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";
import { MANAGERS, staffAction } from "./safe-action";

function associateStore(db: Db, staffId: number): number {
  const target = activeStaff(db, staffId);
  if (!target || target.role !== "associate" || target.storeId === null) throw new DomainError("not_found", "No active associate with that ID.");
  return target.storeId;
}

/** A manager sets the PIN of an associate in their own store; head office may set anyone's. */
export const setAssociatePinAction = staffAction(
  {
    input: z.object({ staffId: z.number().int().positive(), pin: z.string().regex(/^\d{4,8}$/, "A PIN is 4 to 8 digits.") }),
    roles: MANAGERS,
    scope: { store: ({ staffId }, { db }) => associateStore(db, staffId) },
  },
  async ({ staffId, pin }, { staff: me, db }) => {
    await setStaffPin(db, staffId, pin);
    writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "staff.pin_set", detail: { staffId } });
    return { staffId };
  },
);
