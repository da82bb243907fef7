"use server";

import { z } from "zod";
import { inTransaction } from "@/db/client";
import { FOLLOW_UP_CHANNELS } from "@/db/schema";
import { MAX_BULK, assignCustomers, listBook, storeBooks, unassignCustomer } from "@/lib/book/assignments";
import { completeFollowUp, createFollowUps, snoozeFollowUp } from "@/lib/book/follow-ups";
import { DomainError } from "@/lib/errors";
import { ALL_ROLES, MANAGERS, staffAction } from "./safe-action";

const id = z.number().int().positive();
const profileIds = z.array(id).min(1, "Select at least one customer.").max(MAX_BULK, `Select at most ${MAX_BULK} customers at a time.`);
const day = z.iso.date("Pick a date.");

export const assignCustomersAction = staffAction(
  { input: z.object({ storeId: id, staffId: id, profileIds }), roles: MANAGERS, scope: "store" },
  (input, { staff, db }) => inTransaction(db, () => assignCustomers(db, staff, input)),
);

/** The store's associates, for the bulk toolbar wherever it is mounted. */
export const storeAssociatesAction = staffAction({ input: z.object({ storeId: id }), roles: MANAGERS, scope: "store" }, ({ storeId }, { db }) =>
  storeBooks(db, storeId),
);

export const unassignCustomerAction = staffAction(
  { input: z.object({ storeId: id, profileId: id }), roles: MANAGERS, scope: "store" },
  (input, { staff, db }) => inTransaction(db, () => unassignCustomer(db, staff, input)),
);

/** Associates page through their own book only; managers through any book of their store. */
export const loadBookPageAction = staffAction(
  {
    input: z.object({ storeId: id, staffId: id, after: z.object({ lastPurchaseAt: z.number().int(), profileId: id }).nullable() }),
    roles: ALL_ROLES,
    scope: "store",
  },
  (input, { staff, db }) => {
    if (staff.role === "associate" && input.staffId !== staff.id) throw new DomainError("forbidden");
    return listBook(db, input);
  },
);

const draft = {
  title: z.string().trim().min(1, "Say what to follow up.").max(120, "Keep the title under 120 characters."),
  note: z
    .string()
    .trim()
    .max(1000, "Keep the note under 1,000 characters.")
    .transform((v) => v || null),
  dueOn: day,
  channel: z.enum(FOLLOW_UP_CHANNELS, "Choose how to reach the customer."),
};

/** From a profile page: anyone who may open the profile, for themselves (associates) or a store associate (managers). */
export const createFollowUpAction = staffAction(
  { input: z.object({ ...draft, storeId: id, staffId: id, profileId: id, grant: z.string().max(300).nullable() }), roles: ALL_ROLES, scope: "profile" },
  ({ profileId, grant: _grant, ...input }, { staff, db }) => {
    const [result] = inTransaction(db, () => createFollowUps(db, staff, { ...input, profileIds: [profileId] }));
    return result;
  },
);

export const createFollowUpsAction = staffAction(
  { input: z.object({ ...draft, storeId: id, staffId: id, profileIds }), roles: MANAGERS, scope: "store" },
  (input, { staff, db }) => inTransaction(db, () => createFollowUps(db, staff, input)),
);

export const completeFollowUpAction = staffAction({ input: z.object({ id }), roles: ALL_ROLES, scope: "own" }, ({ id }, { staff, db }) =>
  inTransaction(db, () => completeFollowUp(db, staff, id)),
);

export const snoozeFollowUpAction = staffAction({ input: z.object({ id, until: day }), roles: ALL_ROLES, scope: "own" }, ({ id, until }, { staff, db }) =>
  inTransaction(db, () => snoozeFollowUp(db, staff, id, until)),
);
