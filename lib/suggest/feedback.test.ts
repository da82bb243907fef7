import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { profiles, suggestionEvents } from "@/db/schema";
import { tempDatabase } from "@/lib/test/factories";
import { attributeConversions, conversionWindowDays, type FeedbackInput, recordFeedback, recordImpressions, setConversionWindowDays } from "./feedback";
import { DAY, NOW, buy, customer, saveRule, seedShop } from "./test-data";

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

const tap = (profileId: number, style: string, status: FeedbackInput["status"], at: number, extra: Partial<FeedbackInput> = {}) =>
  recordFeedback(
    db,
    {
      profileId,
      storeId: ldn,
      staffId,
      style,
      sku: null,
      source: "association",
      ruleId: null,
      anchorStyle: "LT-1",
      anchorAt: NOW - 20 * DAY,
      status,
      ...extra,
    },
    at,
  );

const events = () => db.select().from(suggestionEvents).orderBy(suggestionEvents.id).all();

describe("recordFeedback", () => {
  it("moves one event per style within a visit and starts another on a later visit", () => {
    const anna = customer(db);
    const first = tap(anna.profileId, "JK-1", "shown", NOW);
    expect(tap(anna.profileId, "JK-1", "accepted", NOW + 60_000).eventId).toBe(first.eventId);
    expect(events().map((e) => [e.style, e.status, e.at, e.updatedAt])).toEqual([["JK-1", "accepted", NOW, NOW + 60_000]]);
    expect(tap(anna.profileId, "JK-1", "dismissed", NOW + 2 * DAY).eventId).not.toBe(first.eventId);
    expect(events().map((e) => e.status)).toEqual(["accepted", "dismissed"]);
  });

  it("refuses a style or rule that does not exist", () => {
    const anna = customer(db);
    expect(() => tap(anna.profileId, "NOPE", "shown", NOW)).toThrow(/Unknown product/);
    expect(() => tap(anna.profileId, "JK-1", "shown", NOW, { source: "rule", ruleId: 999 })).toThrow(/rule no longer exists/);
    expect(events()).toEqual([]);
  });
});

describe("per store", () => {
  it("keeps one record per customer, item and store: an accept in Leeds leaves London's dismissal", () => {
    const anna = customer(db);
    tap(anna.profileId, "JK-1", "dismissed", NOW);
    tap(anna.profileId, "JK-1", "accepted", NOW + 60 * 60_000, { storeId: lds });
    expect(events().map((e) => [e.storeId, e.status])).toEqual([
      [ldn, "dismissed"],
      [lds, "accepted"],
    ]);
  });
});

describe("recordImpressions", () => {
  it("counts the cards put on screen as shown, once per visit and store, without touching a tapped card", () => {
    const anna = customer(db);
    const card = (style: string) => ({
      profileId: anna.profileId,
      storeId: ldn,
      staffId,
      style,
      sku: null,
      source: "association" as const,
      ruleId: null,
      anchorStyle: "LT-1",
      anchorAt: NOW - 20 * DAY,
    });
    tap(anna.profileId, "JK-1", "accepted", NOW);
    expect(recordImpressions(db, [card("JK-1"), card("AW-1")], NOW + 60_000)).toBe(1);
    expect(recordImpressions(db, [card("JK-1"), card("AW-1")], NOW + 120_000)).toBe(0);
    expect(events().map((e) => [e.style, e.status])).toEqual([
      ["JK-1", "accepted"],
      ["AW-1", "shown"],
    ]);
    expect(recordImpressions(db, [{ ...card("AW-1"), storeId: lds }], NOW + 180_000)).toBe(1);
    expect(recordImpressions(db, [card("AW-1")], NOW + 2 * DAY)).toBe(1);
  });
});

describe("attributeConversions", () => {
  it("converts a suggestion as the order that buys that style is ingested, with the revenue of those lines", () => {
    const anna = customer(db);
    const ruleId = saveRule(db);
    tap(anna.profileId, "JK-1", "accepted", NOW, { source: "rule", ruleId });
    tap(anna.profileId, "TR-1", "dismissed", NOW);
    tap(anna.profileId, "AW-1", "shown", NOW);
    const order = buy(db, anna, NOW + 2 * DAY, [["JK-1-M"], ["JK-1-S"], ["LT-1-M"]]);
    buy(db, anna, NOW + 45 * DAY, [["AW-1"]]);
    expect(events().map((e) => [e.style, e.convertedOrderId, e.convertedAt, e.revenue])).toEqual([
      ["JK-1", order, NOW + 2 * DAY, 17800],
      ["TR-1", null, null, null],
      ["AW-1", null, null, null],
    ]);
    // The nightly pass finds nothing left to credit.
    expect(attributeConversions(db, { now: NOW + 50 * DAY, since: NOW - DAY })).toEqual({ checked: 2, converted: 0, revenue: 0, windowDays: 30 });
  });

  it("credits in a catch-up pass what reached the profile without an order arriving (a merge)", () => {
    const anna = customer(db);
    const other = customer(db);
    tap(other.profileId, "AW-1", "shown", NOW);
    const order = buy(db, anna, NOW + DAY, [["AW-1"]]);
    expect(events()[0].convertedOrderId).toBeNull();
    db.update(profiles).set({ mergedInto: anna.profileId }).where(eq(profiles.id, other.profileId)).run();
    expect(attributeConversions(db, { now: NOW + 2 * DAY })).toEqual({ checked: 1, converted: 1, revenue: 3800, windowDays: 30 });
    expect(events()[0].convertedOrderId).toBe(order);
  });

  it("follows the configured window, ignores purchases before the suggestion and credits only the latest suggestion", () => {
    const anna = customer(db);
    setConversionWindowDays(db, 60);
    expect(conversionWindowDays(db)).toBe(60);
    buy(db, anna, NOW - DAY, [["AW-1"]]);
    tap(anna.profileId, "AW-1", "shown", NOW);
    tap(anna.profileId, "AW-1", "accepted", NOW + 10 * DAY);
    const order = buy(db, anna, NOW + 45 * DAY, [["AW-1", 2]]);
    attributeConversions(db, { now: NOW + 50 * DAY, since: NOW - DAY });
    expect(events().map((e) => [e.at, e.convertedOrderId, e.revenue])).toEqual([
      [NOW, null, null],
      [NOW + 10 * DAY, order, 7600],
    ]);
  });
});
