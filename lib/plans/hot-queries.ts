import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { identifiers, interactions, mergeEvents, orders, products, profiles, reviewQueue, sourceCustomers, staff } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import type { StaffIdentity } from "@/lib/auth/staff";
import { listBook, lookedAfterBy, storeBooks } from "@/lib/book/assignments";
import { countMyDue, listMyFollowUps, listStoreFollowUps } from "@/lib/book/follow-ups";
import { profileBook } from "@/lib/book/profile-context";
import { checkProfileAccess } from "@/lib/customers/access";
import { getActivity, listNotes, listPreferences, listTags } from "@/lib/customers/clienteling";
import { lookupCustomer } from "@/lib/customers/lookup";
import { getProfileSummary, getPurchaseHistory, listCategories, resolveProfileId } from "@/lib/customers/profile";
import { getTimeline } from "@/lib/customers/timeline";
import { createIngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { ingestInteraction } from "@/lib/ingest/interactions";
import { ingestOrder } from "@/lib/ingest/orders";
import { mergeHistory, splitChoices, splitRecords, unmerge } from "@/lib/identity/merge";
import { getReviewItem, listReviewItems, sideProfile } from "@/lib/identity/review";
import { loadIdentitySettings, sourceLabels } from "@/lib/identity/settings";
import { listOptions, queryStoreCustomers } from "@/lib/lists/query";
import { isErased } from "@/lib/privacy/suppression";
import { suggestForProfile } from "@/lib/suggest/engine";
import { readSeason } from "@/lib/suggest/season";
import type { PlanAllowance } from "./plan-check";

/**
 * The queries a person waits for, each run through the lib function that makes it. A new hot query
 * joins by adding a line here; the plan test runs every entry on a store without statistics and on
 * one with them.
 */

export type PlanFixture = {
  db: Db;
  staff: Record<"associate" | "manager" | "hq", StaffIdentity>;
  /** A customer of the manager's store with orders, interactions and an identifier of each kind. */
  profileId: number;
  identifiers: Record<"loyalty" | "email" | "phone", string>;
  name: string;
  sku: string;
  reviewItemId: number;
  /** An automatic merge to undo. */
  mergeEventId: number;
  /** The customer's newest source record, to split off (they have several). */
  splitRecordId: number;
  now: number;
};

export type HotQuery = { name: string; run: (f: PlanFixture) => unknown; allow?: PlanAllowance };

/** The managers' list reads the store's rows in the chosen order a page at a time: walking the store is the point. */
const STORE_LIST: PlanAllowance = { walks: ["store_customer_stats", "store_customer_purchases"] };
const REVIEW_QUEUE: PlanAllowance = { walks: ["review_queue"] };

/** Distinct categories read off the catalogue's category index: thousands of entries at chain size, never customers. */
const CATALOGUE: PlanAllowance = { scans: ["products"] };

const profilePage = (role: keyof PlanFixture["staff"]): HotQuery[] => [
  {
    name: `profile page access (${role})`,
    run: (f) => [checkProfileAccess(f.db, "x".repeat(32), f.staff[role], f.profileId, null), resolveProfileId(f.db, f.profileId)],
  },
  { name: `profile page client book (${role})`, run: (f) => profileBook(f.db, f.staff[role], f.profileId, f.now) },
  { name: `looked after by (${role})`, run: (f) => lookedAfterBy(f.db, f.staff[role], f.profileId) },
  { name: `suggestions (${role})`, run: (f) => suggestForProfile(f.db, { profileId: f.profileId, storeId: f.staff[role].storeId, now: f.now }) },
  // The best-seller top-up (a cache miss), which the suggestions above reach only when the anchored cards run short.
  { name: `season's best sellers (${role})`, run: (f) => readSeason(f.db, f.staff[role].storeId, f.now) },
];

export const HOT_QUERIES: HotQuery[] = [
  { name: "lookup by loyalty ID", run: (f) => lookupCustomer(f.db, loadIdentitySettings(f.db), f.identifiers.loyalty) },
  { name: "lookup by email", run: (f) => lookupCustomer(f.db, loadIdentitySettings(f.db), f.identifiers.email) },
  { name: "lookup by phone", run: (f) => lookupCustomer(f.db, loadIdentitySettings(f.db), f.identifiers.phone) },
  { name: "name search", run: (f) => lookupCustomer(f.db, loadIdentitySettings(f.db), f.name) },
  { name: "profile resolve and summary", run: (f) => [resolveProfileId(f.db, f.profileId), getProfileSummary(f.db, f.profileId), isErased(f.db, f.profileId)] },
  {
    name: "purchase history pages",
    run: (f) => {
      const first = getPurchaseHistory(f.db, f.profileId, null, null, 2);
      return [first, first.next && getPurchaseHistory(f.db, f.profileId, first.next, null, 2), getPurchaseHistory(f.db, f.profileId, null, "store")];
    },
  },
  { name: "timeline", run: (f) => [getTimeline(f.db, f.profileId, null, null), getTimeline(f.db, f.profileId, f.now, "online")] },
  { name: "activity", run: (f) => getActivity(f.db, f.profileId, null) },
  {
    name: "profile side panels",
    run: (f) => [listNotes(f.db, f.profileId), listPreferences(f.db, f.profileId), listTags(f.db, f.profileId), listCategories(f.db), sourceLabels(f.db)],
    allow: CATALOGUE,
  },
  { name: "merge history", run: (f) => mergeHistory(f.db, f.profileId) },
  { name: "records to split", run: (f) => splitChoices(f.db, f.profileId) },
  {
    name: "audit row of a view",
    run: (f) => writeAudit(f.db, { staffId: f.staff.associate.id, storeId: f.staff.associate.storeId, action: "profile.view", profileId: f.profileId }),
  },
  ...profilePage("associate"),
  ...profilePage("manager"),
  ...profilePage("hq"),
  { name: "store's books", run: (f) => storeBooks(f.db, f.staff.manager.storeId!) },
  { name: "an associate's book", run: (f) => listBook(f.db, { storeId: f.staff.associate.storeId!, staffId: f.staff.associate.id, after: null }) },
  {
    name: "follow-ups",
    run: (f) => [listMyFollowUps(f.db, f.staff.associate.id, "2026-06-30"), countMyDue(f.db, f.staff.associate.id, "2026-06-30")],
  },
  // The manager's page lists every follow-up of the store still to do.
  { name: "store's follow-ups", run: (f) => listStoreFollowUps(f.db, f.staff.manager.storeId!, "2026-06-30"), allow: { walks: ["follow_ups"] } },
  { name: "customer list, default", run: (f) => queryStoreCustomers(f.db, f.staff.manager.storeId!, { sort: "last_purchase_desc" }), allow: STORE_LIST },
  {
    name: "customer list, filtered",
    run: (f) => [
      queryStoreCustomers(f.db, f.staff.manager.storeId!, { sort: "spend_desc", tier: "Gold", consent: "email" }),
      queryStoreCustomers(f.db, f.staff.manager.storeId!, { sort: "name_asc", category: "Knitwear", notSeen: 90 }),
      queryStoreCustomers(f.db, f.staff.manager.storeId!, { sort: "last_purchase_asc", associate: f.staff.associate.id }),
    ],
    allow: STORE_LIST,
  },
  { name: "customer list filter options", run: (f) => listOptions(f.db, f.staff.manager.storeId!), allow: { ...STORE_LIST, ...CATALOGUE } },
  // The queue is every pending item, best first: walking the pending ones is the list.
  { name: "review queue (head office)", run: (f) => listReviewItems(f.db, null), allow: REVIEW_QUEUE },
  { name: "review queue (manager)", run: (f) => listReviewItems(f.db, f.staff.manager.storeId), allow: REVIEW_QUEUE },
  {
    name: "review item",
    run: (f) => {
      const detail = getReviewItem(f.db, f.reviewItemId);
      return [detail, sideProfile(f.db, detail.profileA)];
    },
  },
  {
    name: "ingest: a known customer's record, an order and an interaction",
    run: (f) => {
      const ctx = createIngestContext(f.db, () => f.now);
      const record = ingestCustomerRecord(ctx, {
        source: "ecom",
        sourceCustomerId: "plan-check-1",
        firstName: f.name.split(" ")[0],
        lastName: "Planner",
        email: f.identifiers.email,
      });
      ingestOrder(ctx, {
        source: "ecom",
        externalId: "plan-check-order",
        sourceCustomerId: "plan-check-1",
        channel: "online",
        storeCode: null,
        placedAt: f.now,
        lines: [{ sku: f.sku, quantity: 1, unitPrice: 1000 }],
      });
      ingestInteraction(ctx, { source: "ecom", externalId: "plan-check-view", sourceCustomerId: "plan-check-1", kind: "view", sku: f.sku, at: f.now });
      return record;
    },
  },
  {
    name: "unmerge",
    run: (f) => {
      return unmerge(f.db, f.mergeEventId, { staffId: f.staff.hq.id, cause: "plan check" }, f.now);
    },
  },
  { name: "split records off", run: (f) => splitRecords(f.db, f.profileId, [f.splitRecordId], { staffId: f.staff.hq.id, cause: "plan check" }, f.now) },
];

/** The customer the plans are checked on: one of the manager's store with orders, interactions and all three identifiers. */
export function planFixture(db: Db, now: number): PlanFixture {
  const byEmail = (email: string): StaffIdentity => {
    const s = db.select().from(staff).where(eq(staff.email, email)).get()!;
    return { id: s.id, name: s.name, email: s.email, role: s.role, storeId: s.homeStoreId };
  };
  const manager = byEmail("manager@demo.clientele");
  const candidates = db
    .selectDistinct({ id: orders.profileId })
    .from(orders)
    .innerJoin(interactions, eq(interactions.profileId, orders.profileId))
    .where(and(eq(orders.storeId, manager.storeId!), isNotNull(orders.profileId)))
    .limit(200)
    .all();
  for (const { id } of candidates) {
    const ids = db.select({ type: identifiers.type, value: identifiers.value }).from(identifiers).where(eq(identifiers.profileId, id!)).all();
    const of = (type: string) => ids.find((i) => i.type === type)?.value;
    const p = db.select({ firstName: profiles.firstName, lastName: profiles.lastName }).from(profiles).where(eq(profiles.id, id!)).get();
    const [loyalty, email, phone] = [of("loyalty"), of("email"), of("phone")];
    if (!loyalty || !email || !phone || !p?.firstName || !p.lastName) continue;
    const records = db.select({ id: sourceCustomers.id }).from(sourceCustomers).where(eq(sourceCustomers.profileId, id!)).all();
    if (records.length < 2) continue;
    return {
      db,
      staff: { associate: byEmail("associate@demo.clientele"), manager, hq: byEmail("hq@demo.clientele") },
      profileId: id!,
      identifiers: { loyalty, email, phone },
      name: `${p.firstName} ${p.lastName.slice(0, 4)}`,
      sku: db.select({ sku: products.sku }).from(products).limit(1).get()!.sku,
      reviewItemId: db.select({ id: reviewQueue.id }).from(reviewQueue).where(eq(reviewQueue.status, "open")).limit(1).get()!.id,
      mergeEventId: db.select({ id: mergeEvents.id }).from(mergeEvents).where(isNotNull(mergeEvents.absorbedId)).limit(1).get()!.id,
      splitRecordId: Math.max(...records.map((r) => r.id)),
      now,
    };
  }
  throw new Error("the generated store has no customer of the manager's store with all three identifiers");
}
