import { describe, expect, it } from "vitest";
import { canonicalBirthDate } from "./link";

describe("canonicalBirthDate", () => {
  it("compares birth dates by their digits", () => {
    expect(canonicalBirthDate(" 1971-06-24 ")).toBe(canonicalBirthDate("19710624"));
    expect(canonicalBirthDate("")).toBeNull();
  });
});
