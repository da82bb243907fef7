"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { CHANNELS } from "@/db/schema";
import { issueProfileGrant } from "@/lib/auth/grant";
import { writeAuditSoon } from "@/lib/audit/deferred";
import { type LookupCandidate, lookupCustomer } from "@/lib/customers/lookup";
import { nameFilterFields } from "@/lib/customers/name-filters";
import { type HistoryPage, getPurchaseHistory } from "@/lib/customers/profile";
import { env } from "@/env";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { ALL_ROLES, staffAction } from "./safe-action";

export type LookupRow = Omit<LookupCandidate, "profileId"> & { href: string };

export type LookupActionResult =
  | { kind: "invalid"; reason: string }
  | { kind: "none"; searched: string; by: "identifier" | "name" }
  | { kind: "open"; searched: string; href: string }
  | { kind: "matches"; searched: string; by: "identifier" | "name"; rows: LookupRow[]; total: number; capped: boolean };

/**
 * `submitted` is Enter or a scanner's Enter: one exact identifier match then opens the profile.
 * While typing, the same lookup only lists (masked) rows; a name never opens a profile by itself.
 * With `redirect` (the tablet's Enter), opening is a redirect, so the profile's page comes back in
 * the lookup's own response: one round trip from Enter to the customer, not an answer and then a
 * navigation. Without it, the answer says where the profile is.
 * A name can be narrowed by town, year of birth and the phone's last digits (`nameFilterFields`),
 * at the input's top level so that a detail typed wrong comes back as that field's message.
 */
export const lookupCustomerAction = staffAction(
  {
    input: z.object({
      query: z.string().max(500),
      submitted: z.boolean().default(true),
      redirect: z.boolean().default(false),
      ...nameFilterFields,
      limit: z.number().int().min(1).max(50).default(10),
    }),
    roles: ALL_ROLES,
    scope: "own",
  },
  ({ query, submitted, redirect: redirectToProfile, city, birthYear, phoneEnd, limit }, { staff, db }): LookupActionResult => {
    const result = lookupCustomer(db, identitySettingsFor(db), query, { filters: { city, birthYear, phoneEnd }, limit });
    if (result.kind === "invalid" || result.kind === "none") return result;
    const secret = env().AUTH_SECRET;
    const rows = result.candidates.map(({ profileId, ...c }) => ({
      ...c,
      href: `/customers/${profileId}?g=${issueProfileGrant(secret, staff.id, profileId, c.matchedOn[0]?.type ?? result.by)}`,
    }));
    const opens = submitted && result.by === "identifier" && rows.length === 1;
    if (submitted) {
      writeAuditSoon(db, {
        staffId: staff.id,
        storeId: staff.storeId,
        action: "customer.lookup",
        profileId: opens ? result.candidates[0].profileId : null,
        detail: { by: result.by, matches: rows.length },
      });
    }
    if (opens && redirectToProfile) redirect(rows[0].href);
    if (opens) return { kind: "open", searched: result.searched, href: rows[0].href };
    return { kind: "matches", searched: result.searched, by: result.by, rows, total: result.total, capped: result.capped };
  },
);

const cursorSchema = z.object({ placedAt: z.number().int(), orderId: z.number().int() });

export const loadPurchaseHistoryAction = staffAction(
  {
    input: z.object({
      profileId: z.number().int().positive(),
      grant: z.string().max(300).nullable(),
      before: cursorSchema.nullable(),
      channel: z.enum(CHANNELS).nullable().default(null),
    }),
    roles: ALL_ROLES,
    scope: "profile",
    read: "customer.history",
  },
  ({ profileId, before, channel }, { db }): HistoryPage => {
    return getPurchaseHistory(db, profileId, before, channel);
  },
);
