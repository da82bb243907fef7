import { type Placeholder, and, asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { customerAssignments, followUps, orders, profiles, staff, storeCustomerStats, stores } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import type { StaffIdentity } from "@/lib/auth/staff";
import { displayName } from "@/lib/customers/display";
import { storeName } from "@/lib/stores/stores";
import { assertManagesStore, isStoreCustomer, requireStoreAssociate, storeCustomerOrRefusal } from "./scope";

export const MAX_BULK = 500;

export type AssignOutcome = {
  profileId: number;
  name: string | null;
  outcome: "assigned" | "reassigned" | "unchanged" | "refused";
  reason?: string;
};

/**
 * Puts customers in one associate's book in one store: new ones are assigned, those in a colleague's
 * book move (reassigned), those already there are left alone. Each change is audited; a customer
 * the store may not claim is refused with the reason and the rest still go through.
 */
export function assignCustomers(
  db: Db,
  actor: StaffIdentity,
  input: { storeId: number; staffId: number; profileIds: number[] },
  now = Date.now(),
): AssignOutcome[] {
  assertManagesStore(actor, input.storeId);
  const associate = requireStoreAssociate(db, input.storeId, input.staffId);
  const store = storeName(db, input.storeId);
  return [...new Set(input.profileIds)].map((profileId) => {
    const found = storeCustomerOrRefusal(db, input.storeId, store, profileId);
    if ("refusal" in found) return { profileId, name: null, outcome: "refused", reason: found.refusal };
    const { name } = found.customer;
    const current = currentAssignee(db, input.storeId, profileId);
    if (current?.staffId === associate.id) return { profileId, name, outcome: "unchanged" };
    db.insert(customerAssignments)
      .values({ storeId: input.storeId, profileId, staffId: associate.id, assignedBy: actor.id, assignedAt: now })
      .onConflictDoUpdate({
        target: [customerAssignments.storeId, customerAssignments.profileId],
        set: { staffId: associate.id, assignedBy: actor.id, assignedAt: now },
      })
      .run();
    const outcome = current ? "reassigned" : "assigned";
    writeAudit(
      db,
      {
        staffId: actor.id,
        storeId: input.storeId,
        action: `book.${outcome === "assigned" ? "assign" : "reassign"}`,
        profileId,
        detail: { to: associate.id, from: current?.staffId ?? null },
      },
      now,
    );
    return { profileId, name, outcome };
  });
}

export function unassignCustomer(db: Db, actor: StaffIdentity, input: { storeId: number; profileId: number }, now = Date.now()): { removed: boolean } {
  assertManagesStore(actor, input.storeId);
  const current = currentAssignee(db, input.storeId, input.profileId);
  if (!current) return { removed: false };
  db.delete(customerAssignments)
    .where(and(eq(customerAssignments.storeId, input.storeId), eq(customerAssignments.profileId, input.profileId)))
    .run();
  writeAudit(db, { staffId: actor.id, storeId: input.storeId, action: "book.unassign", profileId: input.profileId, detail: { from: current.staffId } }, now);
  return { removed: true };
}

function currentAssignee(db: Db, storeId: number, profileId: number): { staffId: number } | undefined {
  return db
    .select({ staffId: customerAssignments.staffId })
    .from(customerAssignments)
    .where(and(eq(customerAssignments.storeId, storeId), eq(customerAssignments.profileId, profileId)))
    .get();
}

/** Whether the profile is in this associate's book in the associate's own store. */
export function isInBook(db: Db, associate: { id: number; storeId: number | null }, profileId: number): boolean {
  if (associate.storeId === null) return false;
  const row = db
    .select({ one: sql`1` })
    .from(customerAssignments)
    .where(and(eq(customerAssignments.storeId, associate.storeId), eq(customerAssignments.profileId, profileId), eq(customerAssignments.staffId, associate.id)))
    .get();
  return row !== undefined;
}

export type BookCursor = { lastPurchaseAt: number; profileId: number };
type BookRow = {
  profileId: number;
  name: string;
  tier: string | null;
  lastPurchaseAt: number | null;
  /** Every store and channel. */
  lifetimeSpend: number;
  /** In the book's store only, net of returns. */
  storeSpend: number;
  openFollowUps: number;
  assignedAt: number;
};
export type BookPage = { rows: BookRow[]; next: BookCursor | null };

/** Never bought sorts after everyone who has: -1 keeps the keyset a plain integer comparison. */
const lastPurchaseKey = sql<number>`coalesce(${profiles.lastPurchaseAt}, -1)`;

/**
 * One associate's book, most recent buyers first, keyset paged. Last purchase is chain-wide (when
 * the customer was last seen anywhere); spend is given both ways, chain-wide and in this store.
 */
export function listBook(db: Db, input: { storeId: number; staffId: number; after: BookCursor | null; limit?: number }): BookPage {
  const limit = input.limit ?? 25;
  const after = input.after;
  const rows = db
    .select({
      profileId: profiles.id,
      firstName: profiles.firstName,
      lastName: profiles.lastName,
      tier: profiles.tier,
      lastPurchaseAt: profiles.lastPurchaseAt,
      lifetimeSpend: profiles.lifetimeSpend,
      storeSpend: sql<number>`coalesce(${storeCustomerStats.spend}, 0)`,
      assignedAt: customerAssignments.assignedAt,
      openFollowUps: sql<number>`(select count(*) from ${followUps} where ${followUps.profileId} = ${profiles.id} and ${followUps.storeId} = ${input.storeId} and ${followUps.status} != 'done')`,
    })
    .from(customerAssignments)
    .innerJoin(profiles, eq(profiles.id, customerAssignments.profileId))
    .leftJoin(storeCustomerStats, and(eq(storeCustomerStats.storeId, customerAssignments.storeId), eq(storeCustomerStats.profileId, profiles.id)))
    .where(
      and(
        eq(customerAssignments.storeId, input.storeId),
        eq(customerAssignments.staffId, input.staffId),
        after ? sql`(${lastPurchaseKey}, ${profiles.id}) < (${after.lastPurchaseAt}, ${after.profileId})` : undefined,
      ),
    )
    .orderBy(desc(lastPurchaseKey), desc(profiles.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit).map(({ firstName, lastName, ...r }) => ({ ...r, name: displayName({ firstName, lastName }) }));
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { lastPurchaseAt: last.lastPurchaseAt ?? -1, profileId: last.profileId } : null };
}

export type BookSize = { staffId: number; name: string; customers: number };

const activeAssociatesOf = (storeId: number | Placeholder) => and(eq(staff.role, "associate"), eq(staff.active, true), eq(staff.homeStoreId, storeId));

/** A store's active associates with how many customers each looks after, for the manager's picker. */
export function storeBooks(db: Db, storeId: number): BookSize[] {
  return db
    .select({
      staffId: staff.id,
      name: staff.name,
      customers: sql<number>`(select count(*) from ${customerAssignments} where ${customerAssignments.storeId} = ${storeId} and ${customerAssignments.staffId} = ${staff.id})`,
    })
    .from(staff)
    .where(activeAssociatesOf(storeId))
    .orderBy(asc(staff.name))
    .all();
}

/** What the profile page reads about the client book on every view, prepared once per connection. */
const profileBookQueries = perConnection((db: Db) => {
  const p = sql.placeholder;
  return {
    associates: db
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(activeAssociatesOf(p("storeId")))
      .orderBy(asc(staff.name))
      .prepare(),
    assignments: db
      .select({ storeId: customerAssignments.storeId, staffId: staff.id, staffName: staff.name })
      .from(customerAssignments)
      .innerJoin(staff, eq(staff.id, customerAssignments.staffId))
      .where(eq(customerAssignments.profileId, p("profileId")))
      .prepare(),
    storesBoughtIn: db
      .selectDistinct({ storeId: orders.storeId })
      .from(orders)
      .where(and(eq(orders.profileId, p("profileId")), isNotNull(orders.storeId)))
      .prepare(),
    store: db
      .select({ id: stores.id, name: stores.name })
      .from(stores)
      .where(eq(stores.id, p("storeId")))
      .prepare(),
  };
});

/** A store's active associates by name, without counting their books: whom a customer or a follow-up can be given to. */
export function storeAssociates(db: Db, storeId: number): { id: number; name: string }[] {
  return profileBookQueries(db).associates.all({ storeId });
}

export type LookedAfter = {
  storeId: number;
  storeName: string;
  assignee: { id: number; name: string } | null;
  /** False when the store may not claim the customer yet (never bought there). */
  eligible: boolean;
};

/**
 * Who looks after this customer, per store the viewer may manage: the manager's own store, or for
 * head office every store where the customer has bought or is assigned. Associates see all
 * assignments read-only.
 */
export function lookedAfterBy(db: Db, viewer: StaffIdentity, profileId: number): LookedAfter[] {
  const queries = profileBookQueries(db);
  const assignments = queries.assignments.all({ profileId });
  let storeIds: number[];
  if (viewer.role === "manager") storeIds = viewer.storeId === null ? [] : [viewer.storeId];
  else if (viewer.role === "hq") {
    const bought = queries.storesBoughtIn.all({ profileId });
    storeIds = [...new Set([...bought.map((b) => b.storeId).filter((s): s is number => s !== null), ...assignments.map((a) => a.storeId)])];
  } else storeIds = assignments.map((a) => a.storeId);
  if (storeIds.length === 0) return [];
  const names = storeIds.flatMap((storeId) => queries.store.get({ storeId }) ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return names.map((s) => {
    const a = assignments.find((x) => x.storeId === s.id);
    return {
      storeId: s.id,
      storeName: s.name,
      assignee: a ? { id: a.staffId, name: a.staffName } : null,
      eligible: a !== undefined || isStoreCustomer(db, s.id, profileId),
    };
  });
}
