import { type Placeholder, and, asc, eq, gt, inArray, lt, lte, ne, or, sql } from "drizzle-orm";
import { countWhere } from "@/db/dialect";
import { type Db, perConnection } from "@/db/client";
import { type FollowUpChannel, followUps, profiles, staff } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import type { StaffIdentity } from "@/lib/auth/staff";
import { displayName } from "@/lib/customers/display";
import { DomainError } from "@/lib/errors";
import { storeToday } from "@/lib/days";
import { storeName } from "@/lib/stores/stores";
import { type CustomerRef, assertManagesStore, customerOrRefusal, requireStoreAssociate, storeCustomerOrRefusal } from "./scope";

/**
 * The consent each channel needs. Waiting for a visit needs none. The sources record no separate
 * phone-call consent, so a call counts as contact on the customer's mobile, the same as a text.
 */
const CONSENT_NEEDED: Record<FollowUpChannel, { key: string; what: string } | null> = {
  in_store: null,
  email: { key: "email", what: "email" },
  sms: { key: "sms", what: "text message" },
  phone: { key: "sms", what: "phone (calls and texts)" },
  post: { key: "post", what: "post" },
};

export function consentRefusal(customer: Pick<CustomerRef, "name" | "consents">, channel: FollowUpChannel): string | null {
  const needed = CONSENT_NEEDED[channel];
  if (!needed) return null;
  const state = customer.consents[needed.key];
  if (state?.granted === true) return null;
  return `${customer.name} has not agreed to contact by ${needed.what}${state ? "" : ": never asked"}.`;
}

export type FollowUpDraft = { title: string; note: string | null; dueOn: string; channel: FollowUpChannel };
export type FollowUpOutcome =
  | { profileId: number; name: string | null; outcome: "created"; followUpId: number }
  | { profileId: number; name: string | null; outcome: "refused"; reason: string };

/**
 * Creates one follow-up per customer for one associate. Managers and head office give them to an
 * associate of the store, about the store's customers; an associate gives them only to themselves,
 * about a customer they already opened (the caller checks that access). A channel the customer has
 * not consented to refuses that customer with the reason; the others are still created.
 */
export function createFollowUps(
  db: Db,
  actor: StaffIdentity,
  input: FollowUpDraft & { storeId: number; staffId: number; profileIds: number[] },
  now = Date.now(),
): FollowUpOutcome[] {
  const byAssociate = actor.role === "associate";
  if (byAssociate) {
    if (input.staffId !== actor.id || input.storeId !== actor.storeId) throw new DomainError("forbidden", "Associates create follow-ups for themselves only.");
  } else {
    assertManagesStore(actor, input.storeId);
    requireStoreAssociate(db, input.storeId, input.staffId);
  }
  if (input.dueOn < storeToday(now)) throw new DomainError("invalid_input", "Pick today or a later date.", { dueOn: ["Pick today or a later date."] });
  const store = storeName(db, input.storeId);
  return [...new Set(input.profileIds)].map((profileId): FollowUpOutcome => {
    const found = byAssociate ? customerOrRefusal(db, profileId) : storeCustomerOrRefusal(db, input.storeId, store, profileId);
    if ("refusal" in found) return { profileId, name: null, outcome: "refused", reason: found.refusal };
    const { customer } = found;
    const refusal = consentRefusal(customer, input.channel);
    if (refusal) return { profileId, name: customer.name, outcome: "refused", reason: refusal };
    const { id } = db
      .insert(followUps)
      .values({
        storeId: input.storeId,
        profileId,
        staffId: input.staffId,
        title: input.title,
        note: input.note,
        dueOn: input.dueOn,
        channel: input.channel,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: followUps.id })
      .get();
    writeAudit(
      db,
      {
        staffId: actor.id,
        storeId: input.storeId,
        action: "followup.create",
        profileId,
        detail: { followUpId: id, for: input.staffId, channel: input.channel, dueOn: input.dueOn },
      },
      now,
    );
    return { profileId, name: customer.name, outcome: "created", followUpId: id };
  });
}

/** The assignee works their own follow-ups; the store's manager and head office may close or snooze any. */
function followUpFor(db: Db, actor: StaffIdentity, id: number) {
  const row = db.select().from(followUps).where(eq(followUps.id, id)).get();
  if (!row) throw new DomainError("not_found", "That follow-up no longer exists.");
  const allowed = row.staffId === actor.id || actor.role === "hq" || (actor.role === "manager" && actor.storeId === row.storeId);
  if (!allowed) throw new DomainError("forbidden");
  return row;
}

/**
 * Done means the customer was contacted on the follow-up's channel, so consent is checked again
 * here: withdrawn since the follow-up was made, it is refused with the reason.
 */
export function completeFollowUp(db: Db, actor: StaffIdentity, id: number, now = Date.now()): void {
  const row = followUpFor(db, actor, id);
  if (row.status === "done") return;
  const found = customerOrRefusal(db, row.profileId);
  const refusal = "customer" in found ? consentRefusal(found.customer, row.channel) : null;
  if (refusal) throw new DomainError("conflict", `${refusal} Do not contact them this way; snooze the follow-up or see them in store.`);
  db.update(followUps).set({ status: "done", doneBy: actor.id, doneAt: now, snoozedUntil: null, updatedAt: now }).where(eq(followUps.id, id)).run();
  writeAudit(db, { staffId: actor.id, storeId: row.storeId, action: "followup.done", profileId: row.profileId, detail: { followUpId: id } }, now);
}

export function snoozeFollowUp(db: Db, actor: StaffIdentity, id: number, until: string, now = Date.now()): void {
  const row = followUpFor(db, actor, id);
  if (row.status === "done") throw new DomainError("conflict", "This follow-up is already done.");
  if (until <= storeToday(now)) throw new DomainError("invalid_input", "Snooze until a later day.", { until: ["Snooze until a later day."] });
  db.update(followUps).set({ status: "snoozed", snoozedUntil: until, updatedAt: now }).where(eq(followUps.id, id)).run();
  writeAudit(db, { staffId: actor.id, storeId: row.storeId, action: "followup.snooze", profileId: row.profileId, detail: { followUpId: id, until } }, now);
}

export type FollowUpView = {
  id: number;
  profileId: number;
  customerName: string;
  staffId: number;
  staffName: string;
  title: string;
  note: string | null;
  dueOn: string;
  channel: FollowUpChannel;
  /** As the associate should see it: a snooze that has run out is open again. */
  state: "open" | "snoozed";
  snoozedUntil: string | null;
  overdue: boolean;
  /** The channel's consent was withdrawn since the follow-up was made: why it must not go ahead as planned. */
  consentWithdrawn: string | null;
};

function viewQuery(db: Db) {
  return db
    .select({
      id: followUps.id,
      profileId: followUps.profileId,
      firstName: profiles.firstName,
      lastName: profiles.lastName,
      staffId: followUps.staffId,
      staffName: staff.name,
      title: followUps.title,
      note: followUps.note,
      dueOn: followUps.dueOn,
      channel: followUps.channel,
      status: followUps.status,
      snoozedUntil: followUps.snoozedUntil,
      consents: profiles.consents,
    })
    .from(followUps)
    .innerJoin(profiles, eq(profiles.id, followUps.profileId))
    .innerJoin(staff, eq(staff.id, followUps.staffId));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>["all"]>>[number];

function toView({ firstName, lastName, status, consents, ...r }: ViewRow, today: string): FollowUpView {
  const state = status === "snoozed" && r.snoozedUntil !== null && r.snoozedUntil > today ? "snoozed" : "open";
  const customerName = displayName({ firstName, lastName });
  const consentWithdrawn = consentRefusal({ name: customerName, consents: consents ?? {} }, r.channel);
  return { ...r, customerName, state, overdue: state === "open" && r.dueOn < today, consentWithdrawn };
}

/** Not done and not snoozed past today. */
const dueNow = (today: string | Placeholder) => or(eq(followUps.status, "open"), and(eq(followUps.status, "snoozed"), lte(followUps.snoozedUntil, today)));
const stillSnoozed = (today: string) => and(eq(followUps.status, "snoozed"), gt(followUps.snoozedUntil, today));

/** An associate's own list: what is due, earliest first (overdue on top), then what is snoozed. */
export function listMyFollowUps(db: Db, staffId: number, today: string): { due: FollowUpView[]; snoozed: FollowUpView[] } {
  const due = viewQuery(db)
    .where(and(eq(followUps.staffId, staffId), dueNow(today)))
    .orderBy(asc(followUps.dueOn), asc(followUps.id))
    .all();
  const snoozed = viewQuery(db)
    .where(and(eq(followUps.staffId, staffId), stillSnoozed(today)))
    .orderBy(asc(followUps.snoozedUntil), asc(followUps.id))
    .all();
  return { due: due.map((r) => toView(r, today)), snoozed: snoozed.map((r) => toView(r, today)) };
}

export type AssociateFollowUps = { staffId: number; name: string; items: FollowUpView[]; overdue: number };

/** A store's follow-ups that are not done, grouped by associate, each group sorted by due date. */
export function listStoreFollowUps(db: Db, storeId: number, today: string): AssociateFollowUps[] {
  const rows = viewQuery(db)
    // Listed as the statuses still to do, not "not done", so the (store, status) index skips the done ones that pile up.
    .where(and(eq(followUps.storeId, storeId), inArray(followUps.status, ["open", "snoozed"])))
    .orderBy(asc(staff.name), asc(followUps.staffId), asc(followUps.dueOn), asc(followUps.id))
    .all();
  const groups = new Map<number, AssociateFollowUps>();
  for (const row of rows) {
    const view = toView(row, today);
    let group = groups.get(view.staffId);
    if (!group) groups.set(view.staffId, (group = { staffId: view.staffId, name: view.staffName, items: [], overdue: 0 }));
    group.items.push(view);
    if (view.overdue) group.overdue += 1;
  }
  return [...groups.values()];
}

/** The customer's follow-ups that are not done, in the given stores (all stores for head office: null). */
/** Read on every profile view and, for an associate, every page: prepared once per connection. */
const everyViewQueries = perConnection((db: Db) => {
  const p = sql.placeholder;
  const profileOpen = (oneStore: boolean) =>
    viewQuery(db)
      .where(and(eq(followUps.profileId, p("profileId")), ne(followUps.status, "done"), oneStore ? eq(followUps.storeId, p("storeId")) : undefined))
      .orderBy(asc(followUps.dueOn), asc(followUps.id))
      .prepare();
  return {
    profileOpenAnywhere: profileOpen(false),
    profileOpenInStore: profileOpen(true),
    myDue: db
      .select({ due: sql<number>`count(*)`, overdue: countWhere(lt(followUps.dueOn, p("today"))) })
      .from(followUps)
      .where(and(eq(followUps.staffId, p("staffId")), dueNow(p("today"))))
      .prepare(),
  };
});

/** The customer's follow-ups still to do, in every store (`"all"`) or in one. */
export function listProfileFollowUps(db: Db, profileId: number, stores: "all" | { storeId: number }, today: string): FollowUpView[] {
  const queries = everyViewQueries(db);
  const rows = stores === "all" ? queries.profileOpenAnywhere.all({ profileId }) : queries.profileOpenInStore.all({ profileId, storeId: stores.storeId });
  return rows.map((r) => toView(r, today));
}

/** Whether the associate has a follow-up about this customer still to do: that is reason enough to open the profile. */
export function hasOpenFollowUp(db: Db, staffId: number, profileId: number): boolean {
  const row = db
    .select({ one: sql`1` })
    .from(followUps)
    .where(and(eq(followUps.staffId, staffId), eq(followUps.profileId, profileId), ne(followUps.status, "done")))
    .get();
  return row !== undefined;
}

/** How many follow-ups the associate has due, and how many of those are overdue: the badge in the menu. */
export function countMyDue(db: Db, staffId: number, today: string): { due: number; overdue: number } {
  const row = everyViewQueries(db).myDue.get({ staffId, today });
  return { due: row?.due ?? 0, overdue: row?.overdue ?? 0 };
}
