import { describe, expect, it } from "vitest";
import { idFromPath } from "./validate";

describe("idFromPath", () => {
  it("reads an ID written in digits, and nothing else that Number() would read as one", () => {
    expect(idFromPath("1")).toBe(1);
    expect(idFromPath("9007199254740991")).toBe(9007199254740991);
    for (const raw of ["1e0", "1e1", "0x1", " 1", "1 ", "+1", "01", "0", "-1", "1.0", "", "9007199254740993", null, undefined])
      expect(idFromPath(raw)).toBeNull();
  });
});
