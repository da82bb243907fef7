"use server";

import { z } from "zod";
import { IDENTIFIER_TYPES } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import { endStaffSessions } from "@/lib/auth/sessions";
import type { StaffIdentity } from "@/lib/auth/staff";
import {
  addBlockedValue,
  blockedValueSchema,
  identityFieldsSchema,
  matchThresholdsSchema,
  previewMatchThresholds,
  saveMatchThresholds,
  recomputeGoldenBatch,
  removeBlockedValue,
  reorderSources,
  saveIdentityFields,
  sourceChangeSchema,
  updateSource,
} from "@/lib/hq/identity";
import { changeStaffRole, createStaff, newStaffSchema, setStaffActive, staffChangeSchema } from "@/lib/hq/staff";
import { createStore, storeInputSchema, updateStore } from "@/lib/stores/admin";
import { parseOrThrow } from "@/lib/validate";
import { HQ, staffAction } from "./safe-action";

const id = z.number().int().positive();

function audit(db: Parameters<typeof writeAudit>[0], staff: StaffIdentity, action: string, detail: Record<string, unknown>) {
  writeAudit(db, { staffId: staff.id, storeId: staff.storeId, action, detail });
}

/** The password comes back once, for head office to hand over; it is never written to the audit trail. */
export const createStaffAction = staffAction({ input: newStaffSchema, roles: HQ, scope: "chain" }, async (input, { staff, db }) => {
  const created = await createStaff(db, input);
  audit(db, staff, "hq.staff.create", {
    staffId: created.id,
    email: input.email,
    role: input.role,
    homeStoreId: input.homeStoreId,
    passwordGenerated: created.generated,
  });
  return created;
});

export const changeStaffRoleAction = staffAction({ input: staffChangeSchema, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  const { before, after } = changeStaffRole(db, staff.id, input);
  audit(db, staff, "hq.staff.update", { staffId: input.staffId, before, after });
  return after;
});

export const setStaffActiveAction = staffAction(
  { input: z.object({ staffId: id, active: z.boolean() }), roles: HQ, scope: "chain" },
  ({ staffId, active }, { staff, db }) => {
    const result = setStaffActive(db, staff.id, staffId, active);
    // Wherever they are signed in, a disabled account's sessions end now, not at their next request.
    if (!active) endStaffSessions(db, staffId, "disabled");
    if (result.changed) audit(db, staff, active ? "hq.staff.enable" : "hq.staff.disable", { staffId, name: result.name });
    return { staffId, active };
  },
);

export const createStoreAction = staffAction({ input: storeInputSchema, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  const store = createStore(db, input);
  audit(db, staff, "hq.store.create", { storeId: store.id, ...input });
  return { id: store.id };
});

/** The store's fields are parsed on their own so their messages come back keyed by field, as on create. */
export const updateStoreAction = staffAction(
  { input: z.object({ storeId: id, store: z.unknown() }), roles: HQ, scope: "chain" },
  ({ storeId, store: raw }, { staff, db }) => {
    const store = parseOrThrow(storeInputSchema, raw);
    const { changes } = updateStore(db, storeId, store);
    if (Object.keys(changes).length > 0) audit(db, staff, "hq.store.update", { storeId, code: store.code, changes });
    return { storeId, changed: Object.keys(changes) };
  },
);

export const saveIdentityFieldsAction = staffAction({ input: identityFieldsSchema, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  const changes = saveIdentityFields(db, input);
  if (Object.keys(changes).length > 0) audit(db, staff, "hq.identity.settings", { changes });
  return input;
});

export const previewMatchThresholdsAction = staffAction({ input: matchThresholdsSchema, roles: HQ, scope: "chain" }, (input, { db }) =>
  previewMatchThresholds(db, input),
);

export const saveMatchThresholdsAction = staffAction({ input: matchThresholdsSchema, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  audit(db, staff, "hq.identity.thresholds", { changes: saveMatchThresholds(db, input) });
  return input;
});

export const addBlockedValueAction = staffAction({ input: blockedValueSchema, roles: HQ, scope: "chain" }, ({ type, value }, { staff, db }) => {
  const result = addBlockedValue(db, type, value);
  if (result.added) audit(db, staff, "hq.identity.block", { type, value: result.value });
  return result;
});

export const removeBlockedValueAction = staffAction(
  { input: z.object({ type: z.enum(IDENTIFIER_TYPES), value: z.string().min(1).max(200) }), roles: HQ, scope: "chain" },
  ({ type, value }, { staff, db }) => {
    const result = removeBlockedValue(db, type, value);
    if (result.removed) audit(db, staff, "hq.identity.unblock", { type, value });
    return result;
  },
);

export const updateSourceAction = staffAction({ input: sourceChangeSchema, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  const { name, changes } = updateSource(db, input);
  if (Object.keys(changes).length > 0) audit(db, staff, "hq.source.update", { sourceId: input.sourceId, name, changes });
  return input;
});

export const reorderSourcesAction = staffAction(
  { input: z.object({ orderedIds: z.array(id).min(1).max(200) }), roles: HQ, scope: "chain" },
  ({ orderedIds }, { staff, db }) => {
    const { before, after } = reorderSources(db, orderedIds);
    audit(db, staff, "hq.source.reorder", { before, after });
    return after;
  },
);

/** One batch per call; the page calls again with the returned lastId until done. Start and finish are audited, not every batch. */
export const recomputeGoldenAction = staffAction(
  { input: z.object({ afterId: z.number().int().nonnegative() }), roles: HQ, scope: "chain" },
  ({ afterId }, { staff, db }) => {
    const result = recomputeGoldenBatch(db, afterId);
    if (afterId === 0) audit(db, staff, "hq.identity.recompute.start", {});
    if (result.done) audit(db, staff, "hq.identity.recompute.done", { lastProfileId: result.lastId });
    return result;
  },
);
