import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_SETTINGS } from "@/lib/identity/normalize";
import { placeholderWarnings } from "./enrol";

const settings = { ...DEFAULT_IDENTITY_SETTINGS, blocked: { ...DEFAULT_IDENTITY_SETTINGS.blocked, phone: ["+442079460000"] } };

describe("placeholder contact details at enrolment", () => {
  it("warns on the guard rails' blocked values, however they are typed", () => {
    expect(placeholderWarnings(settings, { email: " Test@Test.com " }).email).toMatch(/placeholder/);
    expect(placeholderWarnings(settings, { email: "noemail@shop.co.uk" }).email).toMatch(/placeholder/);
    expect(placeholderWarnings(settings, { phone: "07777 777777" }).phone).toMatch(/placeholder/);
    expect(placeholderWarnings(settings, { phone: "020 7946 0000" }).phone).toMatch(/store’s own number/);
  });

  it("says nothing for real details or ones that are not valid yet", () => {
    expect(placeholderWarnings(settings, { email: "anna.kowalski@example.com", phone: "07412 345678" })).toEqual({});
    expect(placeholderWarnings(settings, { email: "test@", phone: "0" })).toEqual({});
  });
});
