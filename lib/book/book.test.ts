import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, profiles } from "@/db/schema";
import type { StaffIdentity } from "@/lib/auth/staff";
import { checkProfileAccess } from "@/lib/customers/access";
import { consentHistory, recordConsent } from "@/lib/customers/consent";
import { DomainError } from "@/lib/errors";
import { addStaff, ingest, seedBasics } from "@/lib/test/factories";
import { assignCustomers, listBook, lookedAfterBy, storeBooks, unassignCustomer } from "./assignments";
import { completeFollowUp, consentRefusal, countMyDue, createFollowUps, listMyFollowUps, listStoreFollowUps, snoozeFollowUp } from "./follow-ups";
import { addDays, storeToday } from "@/lib/days";
import { databaseEachTest } from "@/lib/test/each-test";

const LDN = 1;
const LDS = 2;
const DAY = 86_400_000;
/** Noon in London on 2026-11-26, so day arithmetic never crosses a midnight by accident. */
const NOW = Date.UTC(2026, 10, 26, 12);

let db: Db;
let who: Record<string, StaffIdentity>;
let anna: number; // bought in London; email only
let oli: number; // bought in London; email, sms and post
let priya: number; // bought in Leeds only
let nobody: number; // never bought anywhere

databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  who = addStaff(db, [
    { email: "ada@x", name: "Ada", role: "associate", homeStoreId: LDN },
    { email: "abe@x", name: "Abe", role: "associate", homeStoreId: LDN },
    { email: "ben@x", name: "Ben", role: "associate", homeStoreId: LDS },
    { email: "cy@x", name: "Cy", role: "associate", homeStoreId: LDN, active: false },
    { email: "mo@x", name: "Mo", role: "manager", homeStoreId: LDN },
    { email: "lee@x", name: "Lee", role: "manager", homeStoreId: LDS },
    { email: "hq@x", name: "Hal", role: "hq", homeStoreId: null },
  ]);
  const line = [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }];
  const r = ingest(
    db,
    [
      { source: "pos", sourceCustomerId: "A", firstName: "Anna", lastName: "K", consents: { email: true, sms: false } },
      { source: "pos", sourceCustomerId: "O", firstName: "Oli", lastName: "G", consents: { email: true, sms: true, post: true } },
      { source: "pos", sourceCustomerId: "P", firstName: "Priya", lastName: "S", consents: { post: true } },
      { source: "ecom", sourceCustomerId: "N", firstName: "Nia", lastName: "B" },
    ],
    [
      { source: "pos", externalId: "o1", sourceCustomerId: "A", channel: "store", storeCode: "LDN", placedAt: NOW - 30 * DAY, lines: line },
      { source: "pos", externalId: "o2", sourceCustomerId: "O", channel: "store", storeCode: "LDN", placedAt: NOW - 2 * DAY, lines: line },
      { source: "pos", externalId: "o3", sourceCustomerId: "P", channel: "store", storeCode: "LDS", placedAt: NOW - DAY, lines: line },
    ],
  );
  [anna, oli, priya, nobody] = r.customers.map((c) => c.profileId);
});

const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).all();

function refusedWith(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} refusal`);
}

describe("assigning customers", () => {
  it("assigns the store's customers, refuses the others without naming them, and audits each change", () => {
    const results = assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna, priya, nobody, 999_999] }, NOW);
    expect(results).toEqual([
      { profileId: anna, name: "Anna K", outcome: "assigned" },
      { profileId: priya, name: null, outcome: "refused", reason: `Customer ${priya} has not bought at London Regent St.` },
      { profileId: nobody, name: null, outcome: "refused", reason: `Customer ${nobody} has not bought at London Regent St.` },
      { profileId: 999_999, name: null, outcome: "refused", reason: "No such customer." },
    ]);
    expect(audits("book.assign")).toMatchObject([{ staffId: who.Mo.id, storeId: LDN, profileId: anna, detail: { to: who.Ada.id, from: null } }]);
  });

  it("moves a customer to a colleague as a reassignment, leaves a repeat alone, and unassigns", () => {
    assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna, oli] }, NOW);
    const again = assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Abe.id, profileIds: [anna, anna] }, NOW);
    expect(again).toEqual([{ profileId: anna, name: "Anna K", outcome: "reassigned" }]);
    expect(assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Abe.id, profileIds: [anna] }, NOW)[0].outcome).toBe("unchanged");
    expect(audits("book.reassign")).toMatchObject([{ profileId: anna, detail: { to: who.Abe.id, from: who.Ada.id } }]);
    expect(storeBooks(db, LDN)).toEqual([
      { staffId: who.Abe.id, name: "Abe", customers: 1 },
      { staffId: who.Ada.id, name: "Ada", customers: 1 },
    ]);
    expect(unassignCustomer(db, who.Mo, { storeId: LDN, profileId: anna }, NOW)).toEqual({ removed: true });
    expect(unassignCustomer(db, who.Mo, { storeId: LDN, profileId: anna }, NOW)).toEqual({ removed: false });
    expect(audits("book.unassign")).toHaveLength(1);
    expect(listBook(db, { storeId: LDN, staffId: who.Abe.id, after: null }).rows).toEqual([]);
  });

  it("keeps managers to their own store and its active associates; head office may act in any store", () => {
    refusedWith(() => assignCustomers(db, who.Lee, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW), "forbidden");
    refusedWith(() => assignCustomers(db, who.Ada, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW), "forbidden");
    refusedWith(() => assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ben.id, profileIds: [anna] }, NOW), "invalid_input");
    refusedWith(() => assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Cy.id, profileIds: [anna] }, NOW), "invalid_input");
    refusedWith(() => assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Mo.id, profileIds: [anna] }, NOW), "invalid_input");
    // Leeds cannot claim a London customer even through its own associate.
    expect(assignCustomers(db, who.Lee, { storeId: LDS, staffId: who.Ben.id, profileIds: [anna] }, NOW)[0].outcome).toBe("refused");
    expect(assignCustomers(db, who.Hal, { storeId: LDS, staffId: who.Ben.id, profileIds: [priya] }, NOW)[0].outcome).toBe("assigned");
    refusedWith(() => unassignCustomer(db, who.Lee, { storeId: LDN, profileId: anna }, NOW), "forbidden");
  });

  it("refuses a merged-away profile rather than assigning the wrong row", () => {
    db.update(profiles).set({ mergedInto: oli }).where(eq(profiles.id, anna)).run();
    expect(assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW)[0]).toMatchObject({
      outcome: "refused",
      reason: expect.stringContaining(`merged into customer ${oli}`),
    });
  });

  it("shows who looks after a customer: the manager's store only, every store the customer uses for head office", () => {
    assignCustomers(db, who.Hal, { storeId: LDS, staffId: who.Ben.id, profileIds: [priya] }, NOW);
    expect(lookedAfterBy(db, who.Mo, priya)).toEqual([{ storeId: LDN, storeName: "London Regent St", assignee: null, eligible: false }]);
    expect(lookedAfterBy(db, who.Lee, priya)).toEqual([
      { storeId: LDS, storeName: "Leeds Briggate", assignee: { id: who.Ben.id, name: "Ben" }, eligible: true },
    ]);
    expect(lookedAfterBy(db, who.Hal, anna)).toEqual([{ storeId: LDN, storeName: "London Regent St", assignee: null, eligible: true }]);
    expect(lookedAfterBy(db, who.Ada, priya).map((l) => l.assignee?.name)).toEqual(["Ben"]);
  });
});

describe("the book list", () => {
  it("pages by last purchase, newest first, with open follow-ups counted and spend in the store beside spend everywhere", () => {
    // Oli also buys online: his spend everywhere grows, his spend in London does not.
    ingest(
      db,
      [],
      [
        {
          source: "ecom",
          externalId: "w1",
          sourceCustomerId: "O",
          customerSource: "pos",
          channel: "online",
          placedAt: NOW - DAY,
          lines: [{ sku: "LT-1-M", quantity: 2, unitPrice: 3900 }],
        },
      ],
    );
    assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna, oli] }, NOW);
    createFollowUps(
      db,
      who.Mo,
      { storeId: LDN, staffId: who.Ada.id, profileIds: [oli], title: "Call", note: null, dueOn: storeToday(NOW), channel: "phone" },
      NOW,
    );
    const first = listBook(db, { storeId: LDN, staffId: who.Ada.id, after: null, limit: 1 });
    expect(first.rows).toMatchObject([{ profileId: oli, name: "Oli G", openFollowUps: 1, lifetimeSpend: 11_700, storeSpend: 3900 }]);
    expect(first.next).not.toBeNull();
    const second = listBook(db, { storeId: LDN, staffId: who.Ada.id, after: first.next, limit: 1 });
    expect(second.rows).toMatchObject([{ profileId: anna, openFollowUps: 0, lifetimeSpend: 3900, storeSpend: 3900 }]);
    expect(second.next).toBeNull();
  });
});

describe("access through the book", () => {
  it("lets an associate open customers in their own book or with a follow-up to do, and no others", () => {
    const secret = "s".repeat(32);
    expect(checkProfileAccess(db, secret, who.Ada, anna, null)).toEqual({ allowed: false });
    assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW);
    expect(checkProfileAccess(db, secret, who.Ada, anna, null)).toEqual({ allowed: true, via: "book" });
    expect(checkProfileAccess(db, secret, who.Abe, anna, null)).toEqual({ allowed: false });
    const [made] = createFollowUps(
      db,
      who.Mo,
      { storeId: LDN, staffId: who.Abe.id, profileIds: [oli], title: "Ring", note: null, dueOn: storeToday(NOW), channel: "phone" },
      NOW,
    );
    expect(checkProfileAccess(db, secret, who.Abe, oli, null)).toEqual({ allowed: true, via: "book" });
    if (made.outcome !== "created") throw new Error("expected a follow-up");
    completeFollowUp(db, who.Abe, made.followUpId, NOW);
    expect(checkProfileAccess(db, secret, who.Abe, oli, null)).toEqual({ allowed: false });
  });
});

describe("follow-ups", () => {
  const draft = { title: "New arrivals in her size", note: null, dueOn: "2026-11-30" } as const;

  it("refuses a channel without consent, with the reason, and creates the rest", () => {
    assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [anna, oli] }, NOW);
    const results = createFollowUps(db, who.Mo, { ...draft, channel: "sms", storeId: LDN, staffId: who.Ada.id, profileIds: [anna, oli, priya] }, NOW);
    expect(results.map((r) => [r.name, r.outcome, r.outcome === "refused" ? r.reason : null])).toEqual([
      ["Anna K", "refused", "Anna K has not agreed to contact by text message."],
      ["Oli G", "created", null],
      [null, "refused", `Customer ${priya} has not bought at London Regent St.`],
    ]);
    expect(audits("followup.create")).toMatchObject([{ profileId: oli, storeId: LDN, detail: { for: who.Ada.id, channel: "sms", dueOn: "2026-11-30" } }]);
  });

  it("flags an open text follow-up when the customer withdraws SMS consent, and refuses to mark it done", () => {
    assignCustomers(db, who.Mo, { storeId: LDN, staffId: who.Ada.id, profileIds: [oli] }, NOW);
    const [made] = createFollowUps(db, who.Mo, { ...draft, channel: "sms", storeId: LDN, staffId: who.Ada.id, profileIds: [oli] }, NOW);
    expect(made.outcome).toBe("created");
    expect(listMyFollowUps(db, who.Ada.id, "2026-11-26").due.map((f) => f.consentWithdrawn)).toEqual([null]);
    recordConsent(db, oli, { staffId: who.Ada.id, storeId: LDN }, "sms", false, NOW + 1000);
    expect(listMyFollowUps(db, who.Ada.id, "2026-11-26").due.map((f) => f.consentWithdrawn)).toEqual(["Oli G has not agreed to contact by text message."]);
    const id = made.outcome === "created" ? made.followUpId : -1;
    refusedWith(() => completeFollowUp(db, who.Ada, id, NOW + 2000), "conflict");
    expect(audits("followup.done")).toEqual([]);
    // Who changed it, where and when, for the consent panel.
    expect(consentHistory(db, oli)).toMatchObject([{ channel: "sms", granted: false, at: NOW + 1000, staffName: "Ada", storeName: "London Regent St" }]);
  });

  it("needs no consent to wait for a visit, and names a channel never asked about", () => {
    expect(consentRefusal({ name: "Nia", consents: {} }, "in_store")).toBeNull();
    expect(consentRefusal({ name: "Nia", consents: {} }, "post")).toBe("Nia has not agreed to contact by post: never asked.");
    expect(consentRefusal({ name: "Oli", consents: { sms: { granted: true, at: 1, source: "pos" } } }, "phone")).toBeNull();
    expect(consentRefusal({ name: "Ann", consents: { sms: { granted: false, at: 1, source: "pos" } } }, "phone")).toBe(
      "Ann has not agreed to contact by phone (calls and texts).",
    );
  });

  it("lets an associate create follow-ups for themselves only, and not in the past", () => {
    expect(createFollowUps(db, who.Ada, { ...draft, channel: "email", storeId: LDN, staffId: who.Ada.id, profileIds: [priya] }, NOW)[0].outcome).toBe(
      "refused",
    );
    expect(createFollowUps(db, who.Ada, { ...draft, channel: "post", storeId: LDN, staffId: who.Ada.id, profileIds: [priya] }, NOW)[0].outcome).toBe("created");
    refusedWith(() => createFollowUps(db, who.Ada, { ...draft, channel: "email", storeId: LDN, staffId: who.Abe.id, profileIds: [anna] }, NOW), "forbidden");
    refusedWith(
      () => createFollowUps(db, who.Mo, { ...draft, dueOn: "2026-11-25", channel: "email", storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW),
      "invalid_input",
    );
    refusedWith(() => createFollowUps(db, who.Lee, { ...draft, channel: "email", storeId: LDN, staffId: who.Ada.id, profileIds: [anna] }, NOW), "forbidden");
  });

  it("sorts by due date with overdue marked, hides a snooze until its day, then brings it back", () => {
    const make = (title: string, dueOn: string) => {
      const [r] = createFollowUps(
        db,
        who.Mo,
        { title, note: null, dueOn, channel: "in_store", storeId: LDN, staffId: who.Ada.id, profileIds: [anna] },
        NOW - 10 * DAY,
      );
      if (r.outcome !== "created") throw new Error(r.reason);
      return r.followUpId;
    };
    make("Later", "2026-12-05");
    const late = make("Late", "2026-11-20");
    const today = make("Today", "2026-11-26");
    const mine = listMyFollowUps(db, who.Ada.id, storeToday(NOW));
    expect(mine.due.map((f) => [f.title, f.overdue])).toEqual([
      ["Late", true],
      ["Today", false],
      ["Later", false],
    ]);

    snoozeFollowUp(db, who.Ada, late, "2026-11-28", NOW);
    refusedWith(() => snoozeFollowUp(db, who.Ada, today, "2026-11-26", NOW), "invalid_input");
    refusedWith(() => snoozeFollowUp(db, who.Abe, today, "2026-11-28", NOW), "forbidden");
    const snoozed = listMyFollowUps(db, who.Ada.id, "2026-11-27");
    expect(snoozed.due.map((f) => f.title)).toEqual(["Today", "Later"]);
    expect(snoozed.snoozed).toMatchObject([{ title: "Late", state: "snoozed", snoozedUntil: "2026-11-28", overdue: false }]);

    expect(countMyDue(db, who.Ada.id, "2026-11-27")).toEqual({ due: 2, overdue: 1 });
    const back = listMyFollowUps(db, who.Ada.id, "2026-11-28");
    expect(countMyDue(db, who.Ada.id, "2026-11-28")).toEqual({ due: 3, overdue: 2 });
    expect(back.due.map((f) => [f.title, f.state, f.overdue])).toEqual([
      ["Late", "open", true],
      ["Today", "open", true],
      ["Later", "open", false],
    ]);

    completeFollowUp(db, who.Mo, today, NOW);
    refusedWith(() => snoozeFollowUp(db, who.Ada, today, "2026-12-01", NOW), "conflict");
    expect(listStoreFollowUps(db, LDN, "2026-11-28")).toMatchObject([{ name: "Ada", overdue: 1, items: [{ title: "Late" }, { title: "Later" }] }]);
    expect(listStoreFollowUps(db, LDS, "2026-11-28")).toEqual([]);
    expect(audits("followup.snooze")).toHaveLength(1);
    expect(audits("followup.done")).toMatchObject([{ staffId: who.Mo.id, detail: { followUpId: today } }]);
  });

  it("reads today in London time, not UTC", () => {
    expect(storeToday(Date.UTC(2026, 6, 1, 23, 30))).toBe("2026-07-02");
    expect(storeToday(Date.UTC(2026, 0, 1, 23, 30))).toBe("2026-01-01");
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
