import { describe, expect, it } from "vitest";
import { type SurvivorshipRecord, surviveFields } from "./survivorship";

const record = (id: number, source: string, trustRank: number, fields: Partial<SurvivorshipRecord>): SurvivorshipRecord => ({
  id,
  source,
  trustRank,
  sourceUpdatedAt: id,
  consents: null,
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  loyaltyId: null,
  birthDate: null,
  city: null,
  postcode: null,
  tier: null,
  ...fields,
});

describe("survivorship", () => {
  it("takes each field from the most trusted source, the most recent record breaking ties", () => {
    const golden = surviveFields([
      record(1, "pos", 30, { email: "till@example.com", city: "Leeds" }),
      record(2, "loyalty", 10, { email: "card@example.com" }),
      record(3, "pos", 30, { city: "York" }),
    ]);
    expect(golden).toMatchObject({ email: "card@example.com", city: "York" });
    expect(golden.lineage.email).toMatchObject({ sourceRecordId: 2, source: "loyalty" });
  });

  it("keeps a full first name over the most trusted source's initial, and the name as the customer writes it over one keyed in one case", () => {
    const golden = surviveFields([
      record(1, "loyalty", 10, { firstName: "H.", lastName: "BLACKWOOD" }),
      record(2, "ecom", 20, { firstName: "harriet", lastName: "blackwood" }),
      record(3, "crm", 40, { firstName: "Harriet", lastName: "Blackwood" }),
    ]);
    expect(golden).toMatchObject({ firstName: "Harriet", lastName: "Blackwood" });
    expect(golden.lineage.firstName).toMatchObject({ sourceRecordId: 3, source: "crm" });
    // Only an initial anywhere: the initial it is. Another name in a less trusted source does not win on its case.
    expect(surviveFields([record(1, "loyalty", 10, { firstName: "H" })]).firstName).toBe("H");
    // A one-character surname of a script without case is a name, not an initial.
    expect(surviveFields([record(1, "loyalty", 10, { lastName: "王" }), record(2, "crm", 40, { lastName: "Wang" })]).lastName).toBe("王");
    expect(surviveFields([record(1, "loyalty", 10, { lastName: "SMITH" }), record(2, "crm", 40, { lastName: "Smyth" })]).lastName).toBe("SMITH");
  });
});
