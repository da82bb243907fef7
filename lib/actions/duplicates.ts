"use server";

import { z } from "zod";
import type { Db } from "@/db/client";
import { writeAudit } from "@/lib/audit/audit";
import type { StaffIdentity } from "@/lib/auth/staff";
import { DomainError } from "@/lib/errors";
import { type MergePreview, findMergeEvent, mergeManually, previewMerge, unmerge } from "@/lib/identity/merge";
import { type StoreScope, canReviewPair, getReviewItem, rejectReviewItem } from "@/lib/identity/review";
import { staffAction } from "./safe-action";

const REVIEWERS = ["manager", "hq"] as const;
const id = z.number().int().positive();
const pair = z.object({ profileA: id, profileB: id }).refine((p) => p.profileA !== p.profileB, "Choose two different customers.");

const scopeOf = (me: StaffIdentity): StoreScope => (me.role === "hq" ? null : (me.storeId ?? -1));

function requirePair(db: Db, me: StaffIdentity, profileIds: number[]): void {
  if (!canReviewPair(db, scopeOf(me), profileIds)) throw new DomainError("forbidden", "Neither customer shops at your store.");
}

/** What a merge of the two would change; writes nothing. */
export const previewMergeAction = staffAction({ input: pair, roles: REVIEWERS }, ({ profileA, profileB }, { staff: me, db }): MergePreview => {
  requirePair(db, me, [profileA, profileB]);
  return previewMerge(db, profileA, profileB);
});

export const mergeAction = staffAction(
  { input: z.object({ profileA: id, profileB: id, reviewItemId: id.optional() }), roles: REVIEWERS },
  ({ profileA, profileB, reviewItemId }, { staff: me, db }) => {
    requirePair(db, me, [profileA, profileB]);
    const cause = reviewItemId ? `review item ${reviewItemId}: merged by staff` : "merged by staff";
    const result = mergeManually(db, profileA, profileB, { staffId: me.id, cause });
    writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "identity.merge", profileId: result.survivorId, detail: { ...result, reviewItemId: reviewItemId ?? null } });
    return result;
  },
);

/** "Not the same person": remembered, the pair is never suggested again. */
export const rejectReviewItemAction = staffAction({ input: z.object({ reviewItemId: id }), roles: REVIEWERS }, ({ reviewItemId }, { staff: me, db }) => {
  const item = getReviewItem(db, reviewItemId);
  requirePair(db, me, [item.profileA, ...(item.profileB === null ? [] : [item.profileB])]);
  rejectReviewItem(db, reviewItemId, me.id);
  writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "identity.not_same_person", profileId: item.profileA, detail: { reviewItemId, kind: item.kind, profileB: item.profileB } });
  return { reviewItemId };
});

export const unmergeAction = staffAction({ input: z.object({ mergeEventId: id }), roles: REVIEWERS }, ({ mergeEventId }, { staff: me, db }) => {
  const event = findMergeEvent(db, mergeEventId);
  if (!event) throw new DomainError("not_found", "That merge does not exist.");
  requirePair(db, me, [event.survivorId, event.absorbedId]);
  const result = unmerge(db, mergeEventId, { staffId: me.id, cause: "unmerged by staff" });
  writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "identity.unmerge", profileId: result.survivorId, detail: { ...result, mergeEventId } });
  return result;
});
