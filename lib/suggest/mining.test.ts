import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readBaskets } from "./baskets";
import { BasketStore, compareRules, minSupportCount, mineRules, NextPairCounter, PairCounter, PairCounts, type Rule, topKPerItem } from "./mining";

const GROCERIES = path.resolve(__dirname, "../../../shared/data/groceries/groceries_baskets.csv");

const countBy = <T>(items: T[], key: (item: T) => number) => {
  const counts: Record<number, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

const find = (rules: Rule[], lhs: string[], rhs: string) =>
  rules.find((r) => r.rhs === rhs && r.lhs.length === lhs.length && lhs.every((item) => r.lhs.includes(item)));

const ruleKey = (r: Rule) => `${r.lhs.join("|")}=>${r.rhs}`;

describe("Groceries (Hahsler, Hornik & Reutterer 2006), published arules figures", () => {
  const store = new BasketStore();

  beforeAll(async () => {
    for await (const basket of readBaskets(fs.createReadStream(GROCERIES), GROCERIES)) store.add(basket);
  });

  it("reads 9835 baskets over 169 items", () => {
    expect(store.basketCount).toBe(9835);
    expect(store.itemCount).toBe(169);
  });

  it("support 0.006, confidence 0.25, minlen 2: 463 rules, top {herbs} => {root vegetables}", () => {
    const { rules } = store.mine({ minSupport: 0.006, minConfidence: 0.25, minLen: 2 });
    expect(rules).toHaveLength(463);
    expect(countBy(rules, (r) => r.lhs.length)).toEqual({ 1: 150, 2: 297, 3: 16 });
    const top = [...rules].sort(compareRules)[0];
    expect(top.lhs).toEqual(["herbs"]);
    expect(top.rhs).toBe("root vegetables");
    expect(top.count).toBe(69);
    expect(top.support.toPrecision(7)).toBe("0.007015760");
    expect(top.confidence.toPrecision(7)).toBe("0.4312500");
    expect(top.lift.toPrecision(7)).toBe("3.956477");
  });

  it("support 0.001, confidence 0.5, arules defaults (minlen 1, maxlen 10): 5668 rules, top {Instant food products, soda} => {hamburger meat}", () => {
    const { rules } = store.mine({ minSupport: 0.001, minConfidence: 0.5 });
    expect(rules).toHaveLength(5668);
    expect(countBy(rules, (r) => r.lhs.length + 1)).toEqual({ 2: 11, 3: 1461, 4: 3211, 5: 939, 6: 46 });
    const top = [...rules].sort(compareRules)[0];
    expect(top.lhs).toEqual(["Instant food products", "soda"]);
    expect(top.rhs).toBe("hamburger meat");
    expect(top.support.toPrecision(7)).toBe("0.001220132");
    expect(top.confidence.toPrecision(7)).toBe("0.6315789");
    expect(top.lift.toPrecision(7)).toBe("18.99565");
  });

  it("rounds the support threshold up like arules: 9835 × 0.006 = 59.01 needs 60 baskets, not 59", () => {
    expect(minSupportCount(9835, 0.006)).toBe(60);
    expect(minSupportCount(9835, 0.00599)).toBe(59);
    expect(store.mine({ minSupport: 0.00599, minConfidence: 0.25, minLen: 2 }).rules).toHaveLength(483);
  });

  it("with minlen 1 adds the empty-LHS rule {} => {whole milk}, as arules does", () => {
    const { rules } = store.mine({ minSupport: 0.006, minConfidence: 0.25 });
    expect(rules).toHaveLength(464);
    const empty = rules.filter((r) => r.lhs.length === 0);
    expect(empty).toEqual([{ lhs: [], rhs: "whole milk", support: 2513 / 9835, confidence: 2513 / 9835, lift: 1, count: 2513 }]);
  });

  it("the streaming pair counter gives exactly the 2-item rules of the full miner", async () => {
    const full = store.mine({ minSupport: 0.001, minConfidence: 0.1, minLen: 2, maxLen: 2 }).rules;
    const counter = new PairCounter();
    for await (const basket of readBaskets(fs.createReadStream(GROCERIES), GROCERIES)) counter.add(basket);
    const pairs = counter.rules({ minCount: minSupportCount(9835, 0.001), minConfidence: 0.1 });
    expect(pairs.map(ruleKey).sort()).toEqual(full.map(ruleKey).sort());
    const byKey = new Map(full.map((r) => [ruleKey(r), r]));
    for (const r of pairs) expect(r).toEqual(byKey.get(ruleKey(r)));
  });
});

describe("hand-counted baskets", () => {
  // a:4 b:3 c:3 ab:2 ac:2 bc:2 abc:1 over N = 5.
  const baskets = [["a", "b", "c"], ["a", "b"], ["a", "c"], ["b", "c"], ["a"]];

  it("computes support, confidence, lift and count", () => {
    const rules = mineRules(baskets, { minSupport: 0.4, minConfidence: 0 });
    expect(rules).toHaveLength(9);
    expect(find(rules, ["a"], "b")).toEqual({ lhs: ["a"], rhs: "b", support: 0.4, confidence: 0.5, lift: (0.5 * 5) / 3, count: 2 });
    expect(find(rules, ["b"], "a")).toEqual({ lhs: ["b"], rhs: "a", support: 0.4, confidence: 2 / 3, lift: ((2 / 3) * 5) / 4, count: 2 });
    expect(find(rules, ["b"], "c")?.lift).toBeCloseTo(10 / 9, 12);
    expect(find(rules, [], "a")).toEqual({ lhs: [], rhs: "a", support: 0.8, confidence: 0.8, lift: 1, count: 4 });
  });

  it("minLen and maxLen count the items of LHS ∪ RHS", () => {
    expect(mineRules(baskets, { minSupport: 0.4, minConfidence: 0, minLen: 2 })).toHaveLength(6);
    expect(
      mineRules(baskets, { minSupport: 0.4, minConfidence: 0, maxLen: 1 })
        .map((r) => r.rhs)
        .sort(),
    ).toEqual(["a", "b", "c"]);
    const triples = mineRules(baskets, { minSupport: 0.2, minConfidence: 0, minLen: 3 });
    expect(triples.map(ruleKey).sort()).toEqual(["a|b=>c", "a|c=>b", "b|c=>a"]);
    expect(triples.every((r) => r.count === 1 && r.confidence === 0.5)).toBe(true);
    expect(mineRules(baskets, { minSupport: 0.2, minConfidence: 0, minLen: 3, maxLen: 3 })).toHaveLength(3);
    expect(mineRules(baskets, { minSupport: 0.2, minConfidence: 0, minLen: 2, maxLen: 2 })).toHaveLength(6);
  });

  it("keeps confidence equal to the threshold, drops below it", () => {
    const rules = mineRules(baskets, { minSupport: 0.4, minConfidence: 0.5, minLen: 2 });
    expect(rules.map(ruleKey).sort()).toEqual(["a=>b", "a=>c", "b=>a", "b=>c", "c=>a", "c=>b"]);
    expect(mineRules(baskets, { minSupport: 0.4, minConfidence: 0.6, minLen: 2 }).map(ruleKey).sort()).toEqual(["b=>a", "b=>c", "c=>a", "c=>b"]);
  });

  it("accepts a confidence below the threshold by rounding only (arules' 1e-12 tolerance)", () => {
    const rules = mineRules([["x", "y"], ["x"], ["x"]], { minSupport: 0, minConfidence: 0.3333333333334, minLen: 2 });
    expect(rules.map(ruleKey)).toContain("x=>y");
    expect(mineRules([["x", "y"], ["x"], ["x"]], { minSupport: 0, minConfidence: 0.33334, minLen: 2 }).map(ruleKey)).not.toContain("x=>y");
  });

  it("computes the support threshold in doubles as arules does: 100 × 0.07 = 7.000000000000001 needs 8 baskets", () => {
    const seven = [...Array.from({ length: 7 }, () => ["x", "y"]), ...Array.from({ length: 93 }, () => ["z"])];
    expect(minSupportCount(100, 0.07)).toBe(8);
    expect(mineRules(seven, { minSupport: 0.07, minConfidence: 0, minLen: 2 })).toEqual([]);
    expect(mineRules(seven, { minSupport: 0.069, minConfidence: 0, minLen: 2 })).toHaveLength(2);
  });

  it("counts a repeated item once and an empty basket towards N", () => {
    const rules = mineRules([["a", "a", "b"], [], ["a", "b"], ["b"]], { minSupport: 0.5, minConfidence: 0, minLen: 2 });
    expect(find(rules, ["a"], "b")).toEqual({ lhs: ["a"], rhs: "b", support: 0.5, confidence: 1, lift: 4 / 3, count: 2 });
  });

  it("rejects invalid options", () => {
    expect(() => mineRules(baskets, { minSupport: 1.5, minConfidence: 0 })).toThrow(RangeError);
    expect(() => mineRules(baskets, { minSupport: 0.1, minConfidence: -1 })).toThrow(RangeError);
    expect(() => mineRules(baskets, { minSupport: 0.1, minConfidence: 0, minLen: 0 })).toThrow(RangeError);
    expect(() => mineRules(baskets, { minSupport: 0.1, minConfidence: 0, minLen: 3, maxLen: 2 })).toThrow(RangeError);
  });
});

/** Every subset of the item universe counted directly: the definition, with no algorithm to get wrong. */
function bruteForceRules(baskets: string[][], minSupport: number, minConfidence: number, minLen: number, maxLen: number): string[] {
  const items = [...new Set(baskets.flat())].sort();
  const n = baskets.length;
  const minCount = minSupportCount(n, minSupport);
  const sets = baskets.map((b) => new Set(b));
  const count = (subset: string[]) => sets.filter((b) => subset.every((item) => b.has(item))).length;
  const rules: string[] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) {
    const itemset = items.filter((_, i) => mask & (1 << i));
    if (itemset.length < minLen || itemset.length > maxLen) continue;
    const c = count(itemset);
    if (c < minCount) continue;
    for (const rhs of itemset) {
      const lhs = itemset.filter((item) => item !== rhs);
      const confidence = c / count(lhs);
      if (confidence >= minConfidence - 1e-12) rules.push(`${lhs.join("|")}=>${rhs} ${c}`);
    }
  }
  return rules.sort();
}

describe("exactness against brute force", () => {
  it("finds exactly the rules of the definition on random baskets", () => {
    const basket = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 7 });
    fc.assert(
      fc.property(
        fc.array(basket, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (baskets, minSupport, minConfidence, minLen, extra) => {
          const maxLen = minLen + extra;
          const mined = mineRules(baskets, { minSupport, minConfidence, minLen, maxLen }).map((r) => `${r.lhs.join("|")}=>${r.rhs} ${r.count}`);
          expect(mined.sort()).toEqual(bruteForceRules(baskets, minSupport, minConfidence, minLen, maxLen));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("topKPerItem", () => {
  const rule = (lhs: string[], rhs: string, lift: number, confidence: number): Rule => ({ lhs, rhs, support: 0.1, confidence, lift, count: 1 });

  it("groups one-item-LHS rules by anchor, best lift then confidence first, k per anchor", () => {
    const top = topKPerItem(
      [
        rule(["a"], "b", 2, 0.5),
        rule(["a"], "c", 3, 0.1),
        rule(["a"], "d", 2, 0.9),
        rule(["a", "b"], "e", 9, 1),
        rule(["b"], "a", 1.5, 0.4),
        rule([], "a", 1, 0.4),
      ],
      2,
    );
    expect([...top.keys()].sort()).toEqual(["a", "b"]);
    expect(top.get("a")?.map((r) => r.rhs)).toEqual(["c", "d"]);
    expect(top.get("b")?.map((r) => r.rhs)).toEqual(["a"]);
  });
});

describe("PairCounts", () => {
  it("counts many distinct pairs exactly across rehashes", () => {
    const table = new PairCounts();
    const expected = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const a = (i * 7919) % 1000;
      const b = 1000 + ((i * 104729) % 997);
      table.add(a, b);
      expected.set(`${a},${b}`, (expected.get(`${a},${b}`) ?? 0) + 1);
    }
    const counted = new Map<string, number>();
    table.forEach((a, b, count) => counted.set(`${a},${b}`, count));
    expect(table.size).toBe(expected.size);
    expect(counted).toEqual(expected);
  });
});

describe("NextPairCounter", () => {
  it("counts ordered pairs from one order to the next, with support, confidence and lift over steps", () => {
    const counter = new NextPairCounter();
    counter.add(["a", "b"], ["c"]);
    counter.add(["a"], ["c", "d"]);
    counter.add(["b"], ["a"]);
    counter.add(["c"], []);
    expect(counter.stepCount).toBe(4);
    const rules = counter.rules({ minCount: 1, minConfidence: 0 }).map((r) => ({ ...r, lhs: r.lhs.join() }));
    const rule = (lhs: string, rhs: string) => rules.find((r) => r.lhs === lhs && r.rhs === rhs);
    // a leaves 2 steps, both bringing c (2 of 4 steps bring c): confidence 1, lift 1 / (2 / 4).
    expect(rule("a", "c")).toEqual({ lhs: "a", rhs: "c", support: 2 / 4, confidence: 1, lift: 2, count: 2 });
    expect(rule("b", "a")).toEqual({ lhs: "b", rhs: "a", support: 1 / 4, confidence: 1 / 2, lift: 2, count: 1 });
    // Order matters: c was never followed by a.
    expect(rule("c", "a")).toBeUndefined();
    expect(counter.rules({ minCount: 2, minConfidence: 0 }).map((r) => `${r.lhs}>${r.rhs}`)).toEqual(["a>c"]);
  });
});
