import { describe, expect, it } from "vitest";
import { canonicalBirthDate, isBirthDate } from "./link";

describe("canonicalBirthDate", () => {
  it("compares birth dates by their digits", () => {
    expect(canonicalBirthDate(" 1971-06-24 ")).toBe(canonicalBirthDate("19710624"));
    expect(canonicalBirthDate("24/06/1971")).toBe("24061971");
    expect(canonicalBirthDate("1971")).toBe("1971");
    expect(canonicalBirthDate("")).toBeNull();
  });

  it("treats what no one can be born on as not known", () => {
    const today = Date.UTC(2026, 11, 6);
    for (const placeholder of [
      "unknown",
      "yesterday",
      "n/a",
      "0000-00-00",
      "00/00/0000",
      "1900-01-01",
      "1899-12-31",
      "2099-01-01",
      "2026-12-07",
      "1901-01-01",
      "1753-01-01",
      "1899",
      "2031",
    ]) {
      expect(canonicalBirthDate(placeholder, today), placeholder).toBeNull();
    }
    expect(canonicalBirthDate("1900-06-26", today)).toBe("19000626");
    expect(canonicalBirthDate("20/12/1985", today)).toBe("20121985");
    expect(canonicalBirthDate("2026-12-06", today)).toBe("20261206");
  });

  it("keeps a day that does not exist for matching, a slip of a real date, but does not take it as a birth date", () => {
    const today = Date.UTC(2026, 11, 6);
    for (const slip of ["31/02/1990", "1990-13-45", "99/99/1999", "1990-02-29", "19710231"]) {
      expect(canonicalBirthDate(slip, today), slip).not.toBeNull();
      expect(isBirthDate(slip, today), slip).toBe(false);
    }
    for (const date of ["1992-02-29", "28/02/1990", "12/31/1990", "19710624", "1971", "2026-12-06"]) expect(isBirthDate(date, today), date).toBe(true);
    for (const none of ["", null, "unknown", "1900-01-01", "2026-12-07"]) expect(isBirthDate(none, today), String(none)).toBe(false);
  });
});
