import { describe, expect, it } from "vitest";
import { mapRow } from "./import";

describe("mapRow", () => {
  const mapping = {
    trim: true,
    fields: { sourceCustomerId: "id", firstName: "first", address: ["no", "street"], updatedAt: "changed", "consents.sms": "prefs.sms" },
  };

  it("maps, trims and joins columns, and reads nested JSON values", () => {
    const row = { id: " 42 ", first: " Anna ", no: "7", street: " wallaby place ", changed: "2026-05-03T10:00:00Z", prefs: { sms: "Yes" } };
    expect(mapRow(row, mapping, "crm")).toEqual({
      ok: true,
      record: {
        source: "crm",
        sourceCustomerId: "42",
        firstName: "Anna",
        address: "7 wallaby place",
        updatedAt: Date.UTC(2026, 4, 3, 10),
        consents: { sms: true },
        payload: row,
      },
    });
  });

  it("leaves blank fields null and says why a row cannot be loaded", () => {
    expect(mapRow({ id: "1", first: "  ", no: "7", street: "Wallaby Place" }, mapping, "crm")).toMatchObject({ ok: true, record: { firstName: null } });
    expect(mapRow({ id: " " }, mapping, "crm")).toEqual({ ok: false, field: "sourceCustomerId", reason: "missing source customer ID" });
    expect(mapRow({ id: "1", changed: "soon" }, mapping, "crm")).toEqual({ ok: false, field: "updatedAt", reason: '"soon" is not a date' });
    expect(mapRow({ id: "1", prefs: { sms: "maybe" } }, mapping, "crm")).toMatchObject({ ok: false, field: "consents.sms" });
  });
});
