"use server";

import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { eraseSubject, subjectSummary } from "@/lib/privacy/subject";
import { liftSuppression } from "@/lib/privacy/suppression";
import { HQ, staffAction } from "./safe-action";

/**
 * Head office erases a customer at their request. The confirmation must repeat the customer's
 * name or profile ID as the page shows them, so a slip of the finger cannot erase someone.
 */
export const eraseSubjectAction = staffAction(
  { input: z.object({ profileId: z.number().int().positive(), confirm: z.string().trim().max(200) }), roles: HQ, scope: "chain" },
  ({ profileId, confirm }, { staff, db }) => {
    const subject = subjectSummary(db, profileId);
    const accepted = [subject.name.toLowerCase(), String(subject.profileId)];
    if (!accepted.includes(confirm.toLowerCase())) {
      throw new DomainError("invalid_input", "Type the customer's full name or profile ID exactly as shown to confirm.", {
        confirm: ["Does not match the customer's name or profile ID."],
      });
    }
    // eraseSubject writes the audit row inside its own transaction, so it never records an erasure that did not happen.
    return eraseSubject(db, profileId, { staffId: staff.id, storeId: staff.storeId });
  },
);

/** Head office lets an erased customer's email, phone or loyalty ID be loaded again, at the customer's request. */
export const liftSuppressionAction = staffAction(
  { input: z.object({ identifier: z.string().trim().min(1, "Type an email, phone number or loyalty ID.").max(200) }), roles: HQ, scope: "chain" },
  ({ identifier }, { staff, db }) => liftSuppression(db, identifier, identitySettingsFor(db), { staffId: staff.id, storeId: staff.storeId }),
);
