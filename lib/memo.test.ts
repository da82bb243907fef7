import { describe, expect, it } from "vitest";
import { BoundedCache } from "./memo";

describe("BoundedCache", () => {
  it("keeps what was set, null included, and misses what was not", () => {
    const cache = new BoundedCache<string, string | null>(10);
    cache.set("a", "A");
    cache.set("b", null);
    expect(cache.get("a")).toBe("A");
    expect(cache.get("b")).toBeNull();
    expect(cache.get("c")).toBeUndefined();
  });

  it("when full keeps the newer half, and a value read again stays", () => {
    const cache = new BoundedCache<number, number>(3);
    for (let i = 0; i < 6; i++) cache.set(i, i * 10);
    // 0–2 went to the older half when 3 came in; reading 1 brings it back to the newer half.
    expect(cache.get(1)).toBe(10);
    cache.set(6, 60);
    cache.set(7, 70);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(1)).toBe(10);
    expect(cache.get(5)).toBe(50);
  });
});
