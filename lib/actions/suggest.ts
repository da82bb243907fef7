"use server";

import { z } from "zod";
import { SUGGESTION_SOURCES, SUGGESTION_STATUSES } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import type { StaffIdentity } from "@/lib/auth/staff";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { type FeedbackInput, recordFeedback, recordImpressions, setConversionWindowDays } from "@/lib/suggest/feedback";
import { previewSuggestions } from "@/lib/suggest/preview";
import { SHELF_SETTINGS_SCHEMA, setShelfSettings } from "@/lib/suggest/settings";
import { createRule, definitionOf, duplicateRule, getRule, parseRuleInput, ruleChanges, setRuleStatus, updateRule } from "@/lib/suggest/rules";
import { ALL_ROLES, HQ, staffAction } from "./safe-action";

const code = z.string().trim().min(1).max(60);

const cardShape = {
  style: code,
  sku: code.nullable(),
  source: z.enum(SUGGESTION_SOURCES),
  ruleId: z.number().int().positive().nullable(),
  anchorStyle: code.nullable(),
  anchorAt: z.number().int().nonnegative().nullable(),
};

export const recordSuggestionFeedbackAction = staffAction(
  {
    input: z.object({ profileId: z.number().int().positive(), grant: z.string().max(300).nullable(), ...cardShape, status: z.enum(SUGGESTION_STATUSES) }),
    roles: ALL_ROLES,
    scope: "profile",
  },
  ({ grant: _grant, ...input }, { staff, db }) => {
    const feedback: FeedbackInput = { ...input, ruleId: input.source === "rule" ? input.ruleId : null, storeId: staff.storeId, staffId: staff.id };
    return recordFeedback(db, feedback);
  },
);

export const recordSuggestionImpressionsAction = staffAction(
  {
    input: z.object({ profileId: z.number().int().positive(), grant: z.string().max(300).nullable(), cards: z.array(z.object(cardShape)).max(20) }),
    roles: ALL_ROLES,
    scope: "profile",
  },
  ({ profileId, cards }, { staff, db }) => {
    const shown = cards.map((c) => ({ ...c, profileId, ruleId: c.source === "rule" ? c.ruleId : null, storeId: staff.storeId, staffId: staff.id }));
    return { added: recordImpressions(db, shown) };
  },
);

function audit(db: Parameters<typeof writeAudit>[0], staff: StaffIdentity, action: string, detail: Record<string, unknown>) {
  writeAudit(db, { staffId: staff.id, storeId: staff.storeId, action, detail });
}

export const createRuleAction = staffAction({ input: z.object({ rule: z.unknown() }), roles: HQ, scope: "chain" }, ({ rule }, { staff, db }) => {
  const created = createRule(db, parseRuleInput(db, rule), staff.id);
  audit(db, staff, "suggest.rule.create", { ruleId: created.id, name: created.name, rule: definitionOf(created) });
  return { id: created.id };
});

export const updateRuleAction = staffAction(
  { input: z.object({ id: z.number().int().positive(), expectedUpdatedAt: z.number().int(), rule: z.unknown() }), roles: HQ, scope: "chain" },
  ({ id, expectedUpdatedAt, rule }, { staff, db }) => {
    const { before, after } = updateRule(db, id, parseRuleInput(db, rule), staff.id, expectedUpdatedAt);
    audit(db, staff, "suggest.rule.update", { ruleId: id, name: after.name, status: after.status, changes: ruleChanges(before, after) });
    return { id, updatedAt: after.updatedAt };
  },
);

export const duplicateRuleAction = staffAction({ input: z.object({ id: z.number().int().positive() }), roles: HQ, scope: "chain" }, ({ id }, { staff, db }) => {
  const copy = duplicateRule(db, id, staff.id);
  audit(db, staff, "suggest.rule.duplicate", { ruleId: copy.id, from: id, name: copy.name });
  return { id: copy.id };
});

export const setRuleStatusAction = staffAction(
  { input: z.object({ id: z.number().int().positive(), status: z.enum(["draft", "published", "inactive"]) }), roles: HQ, scope: "chain" },
  ({ id, status }, { staff, db }) => {
    const { before, after } = setRuleStatus(db, id, status, staff.id);
    const verb = status === "published" ? "publish" : status === "inactive" ? "deactivate" : "unpublish";
    audit(db, staff, `suggest.rule.${verb}`, { ruleId: id, name: after.name, from: before.status, to: status });
    return { id, status, updatedAt: after.updatedAt };
  },
);

export const previewSuggestionsAction = staffAction(
  {
    input: z.object({
      customer: z.string().trim().min(1, "Enter the customer's loyalty ID, phone number or email.").max(200),
      storeId: z.number().int().positive().nullable(),
      ruleId: z.number().int().positive().nullable(),
      rule: z.unknown(),
    }),
    roles: HQ,
    scope: "chain",
  },
  ({ customer, storeId, ruleId, rule }, { staff, db }) => {
    if (ruleId !== null) getRule(db, ruleId);
    const draft = rule === null ? null : definitionOf({ ...parseRuleInput(db, rule), id: ruleId ?? -1 });
    const preview = previewSuggestions(db, identitySettingsFor(db), { query: customer, storeId, draft, now: Date.now() });
    writeAudit(db, {
      staffId: staff.id,
      storeId: staff.storeId,
      action: "suggest.preview",
      profileId: preview.customer.profileId,
      detail: { ruleId, storeId },
    });
    return preview;
  },
);

export const setConversionWindowAction = staffAction(
  {
    input: z.object({ days: z.number({ error: "Enter a number of days." }).int("Whole days only.").min(1, "At least 1 day.").max(365, "At most 365 days.") }),
    roles: HQ,
    scope: "chain",
  },
  ({ days }, { staff, db }) => {
    setConversionWindowDays(db, days);
    audit(db, staff, "suggest.settings.conversion_window", { days });
    return { days };
  },
);

export const setShelfSettingsAction = staffAction({ input: SHELF_SETTINGS_SCHEMA, roles: HQ, scope: "chain" }, (input, { staff, db }) => {
  const saved = setShelfSettings(db, input);
  audit(db, staff, "suggest.settings.shelf", saved);
  return saved;
});
