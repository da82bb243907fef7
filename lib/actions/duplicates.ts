"use server";

import { z } from "zod";
import type { Db } from "@/db/client";
import type { ReviewItem } from "@/db/schema";
import { env } from "@/env";
import { writeAudit } from "@/lib/audit/audit";
import { checkProfileAccess } from "@/lib/customers/access";
import { DomainError } from "@/lib/errors";
import { type MergePreview, findMergeEvent, mergeManually, previewMerge, splitRecords, unmerge } from "@/lib/identity/merge";
import { getReviewItem, rejectReviewItem } from "@/lib/identity/review";
import { MANAGERS, staffAction } from "./safe-action";

const id = z.number().int().positive();
/** Two customers, and the review item that queued them (head office may leave it out). */
const pair = z.object({ profileA: id, profileB: id, reviewItemId: id.optional() }).refine((p) => p.profileA !== p.profileB, "Choose two different customers.");

const sidesOf = (item: { profileA: number; profileB: number | null }) => [item.profileA, ...(item.profileB === null ? [] : [item.profileB])];

function mergeEvent(db: Db, mergeEventId: number) {
  const event = findMergeEvent(db, mergeEventId);
  if (!event) throw new DomainError("not_found", "That merge does not exist.");
  return event;
}

/** A merge decided from the queue must be the pair that was queued, and still open. */
function requireQueuedPair(db: Db, reviewItemId: number, profileA: number, profileB: number): ReviewItem {
  const item = getReviewItem(db, reviewItemId);
  const same = new Set([item.profileA, item.profileB]);
  if (item.status !== "open" || same.size !== 2 || !same.has(profileA) || !same.has(profileB)) {
    throw new DomainError("conflict", "This pair is not waiting for review. Reload the review queue.");
  }
  return item;
}

/** What a merge of the two would change; writes nothing. Managers check queued pairs only, as they merge only those. */
export const previewMergeAction = staffAction(
  { input: pair, roles: MANAGERS, scope: "customers" },
  ({ profileA, profileB, reviewItemId }, { staff: me, db }): MergePreview => {
    if (reviewItemId !== undefined) requireQueuedPair(db, reviewItemId, profileA, profileB);
    else if (me.role !== "hq") throw new DomainError("forbidden", "Check merges from the review queue.");
    return previewMerge(db, profileA, profileB);
  },
);

/** Managers merge pairs from the review queue only; head office may also merge any two customers. */
export const mergeAction = staffAction({ input: pair, roles: MANAGERS, scope: "customers" }, ({ profileA, profileB, reviewItemId }, { staff: me, db }) => {
  const item = reviewItemId === undefined ? null : requireQueuedPair(db, reviewItemId, profileA, profileB);
  if (!item && me.role !== "hq") throw new DomainError("forbidden", "Merge customers from the review queue.");
  const cause = item ? `review item ${item.id}: merged by staff` : "merged by staff";
  const result = mergeManually(db, profileA, profileB, { staffId: me.id, cause, evidence: item?.evidence });
  writeAudit(db, {
    staffId: me.id,
    storeId: me.storeId,
    action: "identity.merge",
    profileId: result.survivorId,
    detail: { ...result, reviewItemId: reviewItemId ?? null },
  });
  return result;
});

/** "Not the same person": remembered, the pair is never suggested again. */
export const rejectReviewItemAction = staffAction(
  { input: z.object({ reviewItemId: id }), roles: MANAGERS, scope: { customers: ({ reviewItemId }, { db }) => sidesOf(getReviewItem(db, reviewItemId)) } },
  ({ reviewItemId }, { staff: me, db }) => {
    const item = getReviewItem(db, reviewItemId);
    rejectReviewItem(db, reviewItemId, me.id);
    writeAudit(db, {
      staffId: me.id,
      storeId: me.storeId,
      action: "identity.not_same_person",
      profileId: item.profileA,
      detail: { reviewItemId, kind: item.kind, profileB: item.profileB },
    });
    return { reviewItemId };
  },
);

export const unmergeAction = staffAction(
  {
    input: z.object({ mergeEventId: id }),
    roles: MANAGERS,
    scope: {
      customers: ({ mergeEventId }, { db }) => {
        const event = mergeEvent(db, mergeEventId);
        return [event.survivorId, event.absorbedId];
      },
    },
  },
  ({ mergeEventId }, { staff: me, db }) => {
    const result = unmerge(db, mergeEventId, { staffId: me.id, cause: "unmerged by staff" });
    writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "identity.unmerge", profileId: result.holderId, detail: { ...result, mergeEventId } });
    return result;
  },
);

/** Records joined to the wrong person go to a new customer of their own; the two are kept apart from then on. */
export const splitRecordsAction = staffAction(
  {
    input: z.object({
      profileId: id,
      recordIds: z.array(id).min(1, "Choose the records to split off.").max(200, "Split off at most 200 records at a time."),
      shown: z.array(id).max(100_000, "Too many records to show: reload the page.").optional(),
    }),
    roles: MANAGERS,
    scope: { customers: ({ profileId }) => [profileId] },
  },
  ({ profileId, recordIds, shown }, { staff: me, db }) => {
    const result = splitRecords(db, profileId, recordIds, { staffId: me.id, cause: "split off by staff" }, Date.now(), { shown });
    writeAudit(db, { staffId: me.id, storeId: me.storeId, action: "identity.split", profileId, detail: { ...result, recordIds } });
    // A manager opens customers of their store only: the records may be another store's customer's.
    return { ...result, opens: checkProfileAccess(db, env().AUTH_SECRET, me, result.newProfileId, null).allowed };
  },
);
