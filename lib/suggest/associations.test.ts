import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { associationRules } from "@/db/schema";
import { tempDatabase } from "@/lib/test/factories";
import { describeCompanion, findItems, itemAssociations, saveMiningSummary } from "./associations";
import { NOW, associate, seedShop } from "./test-data";

let db: Db;
let cleanup: () => void;

beforeEach(() => {
  ({ db, cleanup } = tempDatabase());
  seedShop(db);
});

afterEach(() => cleanup());

describe("head office's view of the mined pairs", () => {
  it("finds items by name, style or SKU, those with mined companions first", () => {
    associate(db, "TR-2", [["LT-1", 0.3, 2]]);
    expect(findItems(db, "trousers").map((m) => [m.style, m.pairs])).toEqual([
      ["TR-2", 1],
      ["TR-1", 0],
      ["TR-3", 0],
    ]);
    expect(findItems(db, "jk-1-m").map((m) => m.style)).toEqual(["JK-1"]);
    expect(findItems(db, "100%_")).toEqual([]);
    expect(findItems(db, "  ")).toEqual([]);
  });

  it("lists what goes with an item, strongest first, with the baskets behind each pair", () => {
    associate(db, "LT-1", [
      ["TR-1", 0.4, 3.2],
      ["AW-1", 0.05, 0.8],
    ]);
    db.update(associationRules).set({ support: 0.0037 }).run();
    expect(itemAssociations(db, "LT-1")?.companions.map((c) => [c.name, c.baskets])).toEqual([
      ["Wide Trousers", null],
      ["Aalto Wine Glasses", null],
    ]);
    saveMiningSummary(db, { baskets: 10_000, minedAt: NOW });
    const chosen = itemAssociations(db, "LT-1")!;
    expect(chosen.item.name).toBe("Linen Top");
    expect(chosen.companions[0]).toMatchObject({ style: "TR-1", baskets: 37, confidence: 0.4, lift: 3.2 });
    expect(describeCompanion("Linen Top", chosen.companions[0])).toEqual({
      together: "37 baskets (0.4% of all)",
      share: "40% of baskets with the Linen Top also have it",
      chance: "3.2× as often as chance would put them together",
    });
    expect(describeCompanion("Linen Top", chosen.companions[1]).chance).toBe("less often than chance (0.80×)");
    expect(itemAssociations(db, "NOPE")).toBeNull();
  });
});
