import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Channel, notes, staff, stores } from "@/db/schema";
import { getActivity } from "./clienteling";
import { type HistoryOrder, getPurchaseHistory } from "./profile";

/** Everything that happened with a customer, newest first: orders and returns, browsing, visits, notes. */
export type TimelineItem =
  | { type: "order"; at: number; channel: Channel; order: HistoryOrder }
  | { type: "activity"; at: number; channel: Channel; kind: "view" | "wishlist" | "cart" | "visit"; place: string; productName: string | null }
  | { type: "note"; at: number; channel: "store"; body: string; author: string; place: string | null };

export type TimelinePage = { items: TimelineItem[]; next: number | null };

const TIMELINE_PAGE_SIZE = 20;

/**
 * Each kind is read a page at a time before the cursor and the three are merged by time, so a long
 * history never loads whole. Notes are made in store, so they show under "all" and "in store".
 */
export function getTimeline(db: Db, profileId: number, before: number | null, channel: Channel | null, limit = TIMELINE_PAGE_SIZE): TimelinePage {
  const orderPage = getPurchaseHistory(db, profileId, before === null ? null : { placedAt: before, orderId: 0 }, channel, limit);
  const activity = getActivity(db, profileId, before, limit, channel).items;
  const noteRows =
    channel === null || channel === "store"
      ? db
          .select({ at: notes.createdAt, body: notes.body, author: staff.name, place: stores.name })
          .from(notes)
          .innerJoin(staff, eq(staff.id, notes.staffId))
          .leftJoin(stores, eq(stores.id, notes.storeId))
          .where(and(eq(notes.profileId, profileId), before === null ? undefined : lt(notes.createdAt, before)))
          .orderBy(desc(notes.createdAt))
          .limit(limit)
          .all()
      : [];
  const items: TimelineItem[] = [
    ...orderPage.orders.map((order) => ({ type: "order" as const, at: order.placedAt, channel: order.channel, order })),
    ...activity.map((a) => ({ type: "activity" as const, at: a.at, channel: a.channel, kind: a.kind, place: a.place, productName: a.productName })),
    ...noteRows.map((n) => ({ type: "note" as const, at: n.at, channel: "store" as const, body: n.body, author: n.author, place: n.place })),
  ].sort((a, b) => b.at - a.at);
  const page = items.slice(0, limit);
  const more = items.length > limit || orderPage.next !== null;
  return { items: page, next: more && page.length > 0 ? page[page.length - 1].at : null };
}
