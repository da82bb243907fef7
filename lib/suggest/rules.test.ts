import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { tempDatabase } from "@/lib/test/factories";
import { attributeConversions, recordFeedback } from "./feedback";
import { suggestionKpis } from "./kpis";
import { previewSuggestions } from "./preview";
import { createRule, definitionOf, duplicateRule, listRules, parseRuleInput, ruleChanges, setRuleStatus, updateRule } from "./rules";
import { DAY, MAY_3, NOW, buy, customer, ruleDefinition, seedShop, stock } from "./test-data";

let db: Db;
let cleanup: () => void;
let ldn: number;
let lds: number;
let staffId: number;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  ({ ldn, lds, staffId } = seedShop(db));
});

afterEach(() => cleanup());

/** The editor's form of ruleDefinition(): no ID yet, no stores ticked, dates left blank. */
const { id: _id, ...definition } = ruleDefinition();
const form = { ...definition, storeIds: [], activeFrom: "", activeTo: "" };

const fieldErrors = (raw: unknown) => {
  try {
    parseRuleInput(db, raw);
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e.fieldErrors;
  }
};

describe("rule input", () => {
  it("parses a form into a rule: empty stores mean all, an end date covers its whole day", () => {
    expect(parseRuleInput(db, { ...form, storeIds: [lds, ldn, lds], activeFrom: "2026-05-01", activeTo: "2026-05-31" })).toMatchObject({
      storeIds: [ldn, lds],
      activeFrom: Date.UTC(2026, 4, 1),
      activeTo: Date.UTC(2026, 5, 1) - 1,
    });
    expect(parseRuleInput(db, form).storeIds).toBeNull();
  });

  it("reports every bad field at once", () => {
    expect(fieldErrors({ ...form, name: " ", withinDays: 0, priority: 101, message: "Buy this", activeFrom: "May", anchorKind: "colour" })).toEqual({
      name: ["Give the rule a name."],
      anchorKind: ["Choose what the customer bought."],
      withinDays: ["At least 1 day."],
      priority: ["From 0 to 100."],
      activeFrom: ["Start date: use a date like 2026-05-03, or leave it empty."],
      message: ["Name the purchase: include {anchor} in the message."],
    });
    expect(fieldErrors({ ...form, activeFrom: "2026-06-01", activeTo: "2026-05-01" })).toEqual({ activeTo: ["The end date is before the start date."] });
  });

  it("refuses names the catalogue does not know", () => {
    expect(fieldErrors({ ...form, anchorKind: "sku", anchorValue: "LT-9", targetKind: "collection", targetValue: "Nope", storeIds: [999] })).toEqual({
      anchorValue: ['No product has the SKU or style "LT-9".'],
      targetValue: ['No product has the collection "Nope".'],
      storeIds: ["Choose stores from the list."],
    });
    expect(fieldErrors({ ...form, anchorKind: "sku", anchorValue: "LT-1", targetKind: "sku", targetValue: "JK-1-M" })).toBeNull();
  });
});

describe("rule lifecycle", () => {
  it("creates drafts, refuses a stale edit, duplicates as a draft and records what changed", () => {
    const rule = createRule(db, parseRuleInput(db, form), staffId, NOW);
    expect(rule.status).toBe("draft");
    const { before, after } = updateRule(db, rule.id, parseRuleInput(db, { ...form, priority: 80 }), staffId, rule.updatedAt, NOW + 1000);
    expect(ruleChanges(before, after)).toEqual({ priority: { from: 50, to: 80 } });
    expect(() => updateRule(db, rule.id, parseRuleInput(db, form), staffId, rule.updatedAt, NOW + 2000)).toThrow(/changed by someone else/);
    setRuleStatus(db, rule.id, "published", staffId, NOW + 3000);
    const copy = duplicateRule(db, rule.id, staffId, NOW + 4000);
    expect(copy).toMatchObject({ name: "Copy of Tops with trousers", status: "draft", priority: 80 });
    expect(listRules(db).map((r) => [r.name, r.status, r.createdByName])).toEqual([
      ["Copy of Tops with trousers", "draft", "Sam"],
      ["Tops with trousers", "published", "Sam"],
    ]);
  });
});

describe("preview", () => {
  it("shows a real customer's cards with the draft rule, or says why it gave none", () => {
    stock(db, ldn, { "TR-1-M": 2, "AW-1": 3 });
    const anna = customer(db);
    buy(db, anna, MAY_3, [["LT-1-M"]]);
    const settings = loadIdentitySettings(db);
    const draft = definitionOf({ ...parseRuleInput(db, { ...form, targetKind: "sku", targetValue: "TR-1" }), id: null });
    const preview = previewSuggestions(db, settings, { query: anna.email.toUpperCase(), storeId: ldn, draft, now: NOW });
    expect(preview.customer.profileId).toBe(anna.profileId);
    expect(preview.cards.map((c) => [c.style, c.source.kind])).toEqual([["TR-1", "rule"]]);
    expect(preview.draftNote).toBeNull();
    expect(previewSuggestions(db, settings, { query: anna.email, storeId: ldn, draft, now: NOW + 90 * DAY }).draftNote).toBe(
      "This customer bought nothing matching the anchor in the last 60 days.",
    );
    expect(() => previewSuggestions(db, settings, { query: anna.lastName, storeId: ldn, draft, now: NOW })).toThrow(/not a name/);
  });
});

describe("KPIs", () => {
  it("counts shown, accepted, dismissed and converted per rule and per store over a period", () => {
    const anna = customer(db);
    const rule = createRule(db, parseRuleInput(db, form), staffId, NOW);
    const tap = (style: string, status: "shown" | "accepted" | "dismissed", storeId: number, ruleId: number | null) =>
      recordFeedback(
        db,
        {
          profileId: anna.profileId,
          storeId,
          staffId,
          style,
          sku: null,
          source: ruleId ? "rule" : "association",
          ruleId,
          anchorStyle: "LT-1",
          anchorAt: MAY_3,
          status,
        },
        NOW,
      );
    tap("TR-1", "accepted", ldn, rule.id);
    tap("TR-2", "dismissed", ldn, rule.id);
    tap("AW-1", "shown", lds, null);
    buy(db, anna, NOW + DAY, [["TR-1-M"]]);
    attributeConversions(db, { now: NOW + 2 * DAY });
    const kpis = suggestionKpis(db, { from: NOW - DAY, to: NOW + DAY });
    expect(kpis.byRule).toEqual([
      {
        key: `rule-${rule.id}`,
        label: "Rule: Tops with trousers",
        shown: 2,
        accepted: 1,
        dismissed: 1,
        converted: 1,
        revenue: 4900,
        attachRate: 0.5,
        conversionRate: 0.5,
      },
      { key: "association", label: "Often bought together", shown: 1, accepted: 0, dismissed: 0, converted: 0, revenue: 0, attachRate: 0, conversionRate: 0 },
    ]);
    expect(kpis.byStore.map((r) => [r.label, r.shown, r.converted])).toEqual([
      ["London Regent St", 2, 1],
      ["Leeds Briggate", 1, 0],
    ]);
    expect(kpis.total).toMatchObject({ shown: 3, converted: 1, revenue: 4900 });
    expect(suggestionKpis(db, { from: NOW + DAY, to: NOW + 9 * DAY }).total.shown).toBe(0);
  });
});
