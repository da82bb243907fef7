import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Basket, basketsFromPurchases, OrderSteps, parseBasketLine, type PurchaseRow, readBaskets } from "./baskets";

const DAY = 86_400_000;

describe("parseBasketLine", () => {
  it("splits on commas and keeps the items' own spaces", () => {
    expect(parseBasketLine("pip fruit,yogurt,cream cheese ,meat spreads")).toEqual(["pip fruit", "yogurt", "cream cheese ", "meat spreads"]);
  });

  it("reads double-quoted items holding commas and doubled quotes", () => {
    expect(parseBasketLine('"salt, sea",bread,"6"" ruler"')).toEqual(["salt, sea", "bread", '6" ruler']);
  });
});

describe("readBaskets", () => {
  it("streams one basket per line, skipping blank lines, with CRLF or LF endings", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "baskets-")), "b.csv");
    fs.writeFileSync(file, "a,b\r\n\r\nc\nd,e,f\n");
    const baskets: string[][] = [];
    for await (const basket of readBaskets(fs.createReadStream(file), file)) baskets.push(basket);
    expect(baskets).toEqual([["a", "b"], ["c"], ["d", "e", "f"]]);
  });

  it("says a basket file that fails as it is read cannot be read, naming it", async () => {
    // Linux's /proc/self/mem opens as a file and fails on its first read (EIO), as a failing disk would.
    const read = async () => {
      for await (const basket of readBaskets(fs.createReadStream("/proc/self/mem"), "baskets.csv")) void basket;
    };
    await expect(read()).rejects.toThrow("Could not read baskets.csv: EIO: i/o error, read.");
  });
});

const row = (orderId: number, profileId: number | null, day: number, style: string): PurchaseRow => ({
  orderId,
  profileId,
  placedAt: Date.UTC(2025, 0, 1) + day * DAY,
  style,
});

const sorted = (baskets: Iterable<Basket>) => [...baskets].map((b) => ({ kind: b.kind, styles: [...b.styles].sort() }));

describe("basketsFromPurchases", () => {
  it("makes one basket of distinct styles per order, anonymous orders included", () => {
    const rows = [row(1, null, 0, "A"), row(1, null, 0, "B"), row(1, null, 0, "A"), row(2, null, 1, "C")];
    expect(sorted(basketsFromPurchases(rows, { windowDays: 90 }))).toEqual([
      { kind: "order", styles: ["A", "B"] },
      { kind: "order", styles: ["C"] },
    ]);
  });

  it("groups a customer's orders into windows anchored at the window's first order", () => {
    const rows = [
      row(10, 7, 0, "A"),
      row(11, 7, 30, "B"),
      row(11, 7, 30, "C"),
      row(12, 7, 89, "A"),
      // 90 days after the anchor: starts the next window.
      row(13, 7, 90, "D"),
      row(14, 7, 100, "E"),
      // Alone in its window: only its order basket.
      row(15, 7, 400, "F"),
      row(16, 8, 5, "G"),
      row(17, 8, 6, "H"),
    ];
    expect(sorted(basketsFromPurchases(rows, { windowDays: 90 }))).toEqual([
      { kind: "order", styles: ["A"] },
      { kind: "order", styles: ["B", "C"] },
      { kind: "order", styles: ["A"] },
      { kind: "customer", styles: ["A", "B", "C"] },
      { kind: "order", styles: ["D"] },
      { kind: "order", styles: ["E"] },
      { kind: "customer", styles: ["D", "E"] },
      { kind: "order", styles: ["F"] },
      { kind: "order", styles: ["G"] },
      { kind: "order", styles: ["H"] },
      { kind: "customer", styles: ["G", "H"] },
    ]);
  });

  it("honours the window length", () => {
    const rows = [row(1, 3, 0, "A"), row(2, 3, 6, "B"), row(3, 3, 7, "C")];
    expect(sorted(basketsFromPurchases(rows, { windowDays: 7 })).filter((b) => b.kind === "customer")).toEqual([{ kind: "customer", styles: ["A", "B"] }]);
  });

  it("yields nothing for no rows", () => {
    expect([...basketsFromPurchases([], { windowDays: 90 })]).toEqual([]);
  });

  it("refuses rows that are not sorted by profile, time and order", () => {
    const rows = [row(1, 2, 0, "A"), row(2, 1, 0, "B")];
    expect(() => [...basketsFromPurchases(rows, { windowDays: 90 })]).toThrow(/out of order/);
    expect(() => [...basketsFromPurchases([row(1, 2, 5, "A"), row(2, 2, 4, "B")], { windowDays: 90 })]).toThrow(/out of order/);
    expect(() => [...basketsFromPurchases([row(1, 2, 5, "A"), row(2, null, 6, "B")], { windowDays: 90 })]).toThrow(/out of order/);
    expect(() => [...basketsFromPurchases([], { windowDays: 0 })]).toThrow(RangeError);
  });
});

describe("OrderSteps", () => {
  const stepsOf = (rows: PurchaseRow[]) => {
    const out: [string[], string[]][] = [];
    const steps = new OrderSteps({ windowDays: 90 }, (before, later) => out.push([[...before].sort(), [...later].sort()]));
    for (const r of rows) steps.add(r);
    steps.finish();
    return out;
  };

  it("steps from each order to what the customer bought new in their later orders within the window", () => {
    const rows = [
      row(1, 7, 0, "A"),
      row(1, 7, 0, "B"),
      row(2, 7, 5, "B"),
      row(2, 7, 5, "C"),
      row(3, 7, 60, "A"),
      row(3, 7, 60, "D"),
      row(4, 7, 400, "E"),
      row(5, 8, 0, "E"),
      row(6, 8, 1, "F"),
    ];
    expect(stepsOf(rows)).toEqual([
      [
        ["A", "B"],
        ["C", "D"],
      ],
      [["B", "C"], ["D"]],
      // E comes 340 days after: beyond the window.
      [["A", "D"], []],
      [["E"], ["F"]],
    ]);
  });

  it("takes no step from a customer's last order, nor for anonymous orders", () => {
    expect(stepsOf([row(1, null, 0, "A"), row(2, null, 1, "B"), row(3, 1, 0, "A"), row(4, 2, 1, "B")])).toEqual([]);
  });

  it("still counts a step after which nothing new was bought", () => {
    expect(stepsOf([row(1, 1, 0, "A"), row(2, 1, 1, "A")])).toEqual([[["A"], []]]);
  });
});
