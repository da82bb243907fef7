import { describe, expect, it } from "vitest";
import { csvField, csvRow } from "./csv";

describe("the CSV writer every export uses", () => {
  it("quotes what needs quoting and shows formulas as text, never as something a spreadsheet runs", () => {
    expect(csvField('O"Neill, Jr')).toBe('"O""Neill, Jr"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    for (const formula of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvField(formula).replace(/^"/, "")).toMatch(/^'/);
    expect(csvField("=1,2")).toBe(`"'=1,2"`);
    expect(csvField(-12)).toBe("-12");
    expect(csvField(null)).toBe("");
    expect(csvField({ a: "=1" })).toBe('"{""a"":""=1""}"');
    expect(csvRow(["a", 1, null], "\n")).toBe("a,1,\n");
  });
});
