import type { Db } from "@/db/client";
import type { StaffIdentity } from "@/lib/auth/staff";
import { type LookedAfter, lookedAfterBy, storeAssociates } from "./assignments";
import { storeToday } from "@/lib/days";
import { type FollowUpView, listProfileFollowUps } from "./follow-ups";

export type FollowUpTarget = { storeId: number; storeName: string; associates: { id: number; name: string }[]; defaultStaffId: number | null };
export type ProfileBook = {
  lookedAfter: LookedAfter[];
  associates: Record<number, { id: number; name: string }[]>;
  targets: FollowUpTarget[];
  followUps: FollowUpView[];
};

/**
 * What the profile page shows about the client book: who looks after the customer, and the open
 * follow-ups. Associates give follow-ups to themselves in their store; managers to an associate of
 * theirs (the customer's own one first); head office in any store that may claim the customer.
 */
export function profileBook(db: Db, viewer: StaffIdentity, profileId: number, now = Date.now()): ProfileBook {
  const lookedAfter = lookedAfterBy(db, viewer, profileId);
  const associates: ProfileBook["associates"] = {};
  let targets: FollowUpTarget[] = [];
  if (viewer.role === "associate") {
    if (viewer.storeId !== null) {
      const storeName = lookedAfter.find((l) => l.storeId === viewer.storeId)?.storeName ?? "your store";
      targets = [{ storeId: viewer.storeId, storeName, associates: [{ id: viewer.id, name: viewer.name }], defaultStaffId: viewer.id }];
    }
  } else {
    for (const l of lookedAfter) associates[l.storeId] = storeAssociates(db, l.storeId);
    targets = lookedAfter
      .filter((l) => l.eligible)
      .map((l) => ({ storeId: l.storeId, storeName: l.storeName, associates: associates[l.storeId], defaultStaffId: l.assignee?.id ?? null }));
  }
  const stores = viewer.role === "hq" ? "all" : viewer.storeId === null ? null : { storeId: viewer.storeId };
  const followUps =
    stores === null ? [] : listProfileFollowUps(db, profileId, stores, storeToday(now)).filter((f) => viewer.role !== "associate" || f.staffId === viewer.id);
  return { lookedAfter, associates, targets, followUps };
}
