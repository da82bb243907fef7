import { describe, expect, it } from "vitest";
import { z } from "zod";
import { birthYearMessage, nameFilterFields } from "./name-filters";

const schema = z.object(nameFilterFields);
/** Each field's first message, as the lookup shows it beside the field. */
const messages = (raw: Record<string, string>) => {
  const parsed = schema.safeParse(raw);
  return parsed.success ? null : Object.fromEntries(Object.entries(z.flattenError(parsed.error).fieldErrors).map(([k, v]) => [k, v?.[0]]));
};

describe("narrowing a name search", () => {
  it("takes a town, a year of birth and the phone's last digits as typed", () => {
    expect(schema.parse({ city: "  Leeds ", birthYear: " 1984", phoneEnd: "678" })).toEqual({ city: "Leeds", birthYear: 1984, phoneEnd: "678" });
    expect(schema.parse({})).toEqual({});
    expect(schema.parse({ birthYear: String(new Date().getFullYear()) }).birthYear).toBe(new Date().getFullYear());
  });

  it("says beside each field what is wrong with it, a year out of range included", () => {
    const year = birthYearMessage();
    expect(year).toMatch(/^Type a year from 1900 to \d{4}\.$/);
    for (const birthYear of ["1088", "1800", "1899", String(new Date().getFullYear() + 1), "19", "19a4", "", "20201"]) {
      expect(messages({ birthYear }), birthYear).toEqual({ birthYear: year });
    }
    expect(messages({ city: "x".repeat(81) })).toEqual({ city: "Type at most 80 characters." });
    expect(messages({ city: `${"x".repeat(80)}   ` })).toBeNull();
    expect(messages({ phoneEnd: "5" })).toEqual({ phoneEnd: "Type 2 to 6 digits." });
    expect(messages({ city: "x".repeat(90), birthYear: "1088", phoneEnd: "ab" })).toEqual({
      city: "Type at most 80 characters.",
      birthYear: year,
      phoneEnd: "Type 2 to 6 digits.",
    });
  });

  it("words the latest year from the day it is asked", () => {
    expect(birthYearMessage(new Date("2031-03-01"))).toBe("Type a year from 1900 to 2031.");
  });
});
