"use server";

import { z } from "zod";
import { issueProfileGrant } from "@/lib/auth/grant";
import { writeAudit } from "@/lib/audit/audit";
import { checkProfileAccess } from "@/lib/customers/access";
import { lookupCustomer } from "@/lib/customers/lookup";
import { type HistoryPage, getPurchaseHistory } from "@/lib/customers/profile";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { ALL_ROLES, staffAction } from "./safe-action";

export type LookupActionResult =
  | { kind: "invalid"; reason: string }
  | { kind: "none"; searched: string }
  | { kind: "one"; searched: string; href: string }
  | {
      kind: "many";
      searched: string;
      candidates: { href: string; name: string; maskedEmail: string | null; maskedPhone: string | null; city: string | null; tier: string | null; lastPurchaseAt: number | null; matchedOn: string[] }[];
    };

export const lookupCustomerAction = staffAction(
  { input: z.object({ query: z.string().max(500) }), roles: ALL_ROLES },
  ({ query }, { staff, db }): LookupActionResult => {
    const result = lookupCustomer(db, identitySettingsFor(db), query);
    const secret = env().AUTH_SECRET;
    const profileHref = (profileId: number, via: "loyalty" | "email" | "phone") =>
      `/customers/${profileId}?g=${issueProfileGrant(secret, staff.id, profileId, via)}`;
    if (result.kind !== "invalid") {
      writeAudit(db, {
        staffId: staff.id,
        storeId: staff.storeId,
        action: "customer.lookup",
        profileId: result.kind === "one" ? result.profileId : null,
        detail: { outcome: result.kind, matches: result.kind === "many" ? result.candidates.length : result.kind === "one" ? 1 : 0 },
      });
    }
    switch (result.kind) {
      case "invalid":
      case "none":
        return result;
      case "one":
        return { kind: "one", searched: result.searched, href: profileHref(result.profileId, result.matchedOn[0]) };
      case "many":
        return {
          kind: "many",
          searched: result.searched,
          candidates: result.candidates.map(({ profileId, ...c }) => ({ ...c, href: profileHref(profileId, c.matchedOn[0]) })),
        };
    }
  },
);

const cursorSchema = z.object({ placedAt: z.number().int(), orderId: z.number().int() });

export const loadPurchaseHistoryAction = staffAction(
  { input: z.object({ profileId: z.number().int().positive(), grant: z.string().max(300).nullable(), before: cursorSchema.nullable() }), roles: ALL_ROLES },
  ({ profileId, grant, before }, { staff, db }): HistoryPage => {
    if (!checkProfileAccess(env().AUTH_SECRET, staff, profileId, grant).allowed) throw new DomainError("forbidden");
    return getPurchaseHistory(db, profileId, before);
  },
);
