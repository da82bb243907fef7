import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { inventory } from "@/db/schema";
import { tempDatabase } from "@/lib/test/factories";
import { askSuggestions, findProfile, formatAsk } from "./ask";
import { DAY, MAY_3, NOW, associate, buy, customer, seedShop, stock } from "./test-data";

let db: Db;
let cleanup: () => void;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  const { ldn } = seedShop(db);
  stock(db, ldn, { "TR-1-S": 1, "TR-1-M": 1, "AW-1": 2 });
});

afterEach(() => cleanup());

describe("npm run suggest", () => {
  it("finds a customer by profile ID or as a source knows them, and prints each card's reason and score", () => {
    const anna = customer(db);
    buy(db, anna, MAY_3 - 60 * DAY, [["TR-2-M"]]);
    buy(db, anna, MAY_3, [["LT-1-M"]]);
    associate(db, "LT-1", [
      ["TR-1", 0.2, 3],
      ["AW-1", 0.1, 2],
    ]);
    expect(findProfile(db, `loyalty:${anna.key}`).profileId).toBe(anna.profileId);
    expect(findProfile(db, String(anna.profileId)).profileId).toBe(anna.profileId);
    const asked = askSuggestions(db, { customer: `ecom:${anna.key}`, store: "ldn", at: "2026-06-01" });
    expect(asked.cards.map((c) => c.style)).toEqual(["TR-1", "AW-1"]);
    const text = formatAsk(asked);
    expect(text).toContain("at London Regent St (LDN) on 2026-06-01");
    expect(text).toContain("1. Wide Trousers (TR-1-M)  £49.00  [In your size here (M)]");
    expect(text).toContain("Often bought with the Linen Top you bought online on 3 May — we have it in your size (M).");
    expect(text).toMatch(
      /why: bought together: confidence 20\.0%, lift 3\.0; tier 0 \(goes with \/ interest\), score ln e = -\d\.\d{3}; anchor Linen Top \(LT-1\) on 2026-05-03/,
    );
  });

  it("says what is wrong with the customer, store or date it was given", () => {
    expect(() => askSuggestions(db, { customer: "loyalty:NOPE" })).toThrow('No customer "NOPE" from source "loyalty".');
    expect(() => askSuggestions(db, { customer: "anna" })).toThrow("--customer takes a profile ID or source:customer-id");
    const anna = customer(db);
    expect(() => askSuggestions(db, { customer: String(anna.profileId), store: "XXX" })).toThrow('No store "XXX". Stores: LDN, LDS.');
    expect(() => askSuggestions(db, { customer: String(anna.profileId), at: "1 June" })).toThrow("--at takes a date as YYYY-MM-DD");
  });

  it("says when a store has no stock feed", () => {
    const anna = customer(db);
    buy(db, anna, NOW - DAY, [["LT-1-M"]]);
    associate(db, "LT-1", [["AW-1", 0.1, 2]]);
    db.delete(inventory).run();
    const text = formatAsk(askSuggestions(db, { customer: String(anna.profileId), store: "LDS" }, NOW));
    expect(text).toContain("no stock feed: cards say check stock");
    expect(text).toContain("[Check stock]");
  });
});
