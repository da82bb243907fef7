"use server";

import { z } from "zod";
import { writeAudit } from "@/lib/audit/audit";
import { setStaffPin } from "@/lib/auth/pin";
import { activeStaff } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";
import { staffAction } from "./safe-action";

/** A manager sets the PIN of an associate in their own store; head office may set anyone's. */
export const setAssociatePinAction = staffAction(
  { input: z.object({ staffId: z.number().int().positive(), pin: z.string().regex(/^\d{4,8}$/, "A PIN is 4 to 8 digits.") }), roles: ["manager", "hq"] },
  async ({ staffId, pin }, { staff: me, db }) => {
    const target = activeStaff(db, staffId);
    if (!target || target.role !== "associate") throw new DomainError("not_found", "No active associate with that ID.");
    if (me.role === "manager" && target.storeId !== me.storeId) throw new DomainError("forbidden", "You can set PINs only for associates in your store.");
    await setStaffPin(db, staffId, pin);
    writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "staff.pin_set", detail: { staffId } });
    return { staffId };
  },
);
