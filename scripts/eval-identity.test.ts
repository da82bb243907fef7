import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RawMatchRecord } from "@/lib/identity/match-model";
import { matchRecord } from "@/lib/identity/match-record.fixture";
import { SETS, evaluate, overMergedProfiles, splitAmongTied } from "./eval-identity";

const DATA = path.resolve("../shared/data");

describe.skipIf(!fs.existsSync(path.join(DATA, "febrl/dataset3.csv")))("eval:identity targets on FEBRL 3", () => {
  it("automatic merges precision >= 0.999; automatic plus review recall >= Splink's at 0.5 (0.9862)", async () => {
    const r = await evaluate(
      SETS.find((s) => s.name === "FEBRL 3")!,
      DATA,
    );
    expect(r.auto.precision).toBeGreaterThanOrEqual(0.999);
    expect(r.withReview.recall).toBeGreaterThanOrEqual(0.9862);
    expect(r.reviewPrecision).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});

describe("people split among those whose records share evidence", () => {
  const rec = (truth: string, profileId: number, fields: Partial<RawMatchRecord>) => ({ truth, profileId, match: matchRecord(fields) });

  it("counts a person once their records are tied by a shared value, through a chain too, and never by a name or town alone", () => {
    const r = splitAmongTied([
      // Tied by an email, kept in two profiles: split.
      rec("ann", 1, { firstName: "Ann", email: "ann@example.com" }),
      rec("ann", 2, { firstName: "Ann", email: "ANN@example.com", phone: "07700 900001" }),
      // Tied by a chain (email, then phone), in one profile: not split.
      rec("bob", 3, { email: "bob@example.com" }),
      rec("bob", 3, { email: "bob@example.com", phone: "07911 123456" }),
      rec("bob", 3, { phone: "+44 7911 123456", postcode: "LS1 4AP" }),
      // A name and a city only: not tied, so not in the count, split or not.
      rec("cat", 4, { firstName: "Cat", lastName: "Jones", city: "Leeds" }),
      rec("cat", 5, { firstName: "Cat", lastName: "Jones", city: "Leeds" }),
      // One record: nothing to split.
      rec("dan", 6, { email: "dan@example.com" }),
    ]);
    expect(r).toEqual({ tied: 2, split: 1 });
  });
});

describe("profiles holding more than one person", () => {
  const rec = (truth: string, profileId: number, fields: Partial<RawMatchRecord>) => ({ truth, profileId, match: matchRecord(fields) });
  const sian = { firstName: "Siân", lastName: "O'Connor" };

  it("tells the profiles no rule on the records could have kept apart from those it could", () => {
    const r = overMergedProfiles([
      // A namesake's till record of a name, a postcode and a town, in the profile of the one customer of that name there.
      rec("sian1", 1, { ...sian, birthDate: "2006-06-10", email: "sian@example.net", postcode: "B17 6DZ" }),
      rec("sian1", 1, { ...sian, phone: "07402 247835" }),
      rec("sian2", 1, { ...sian, postcode: "B17 6DZ", city: "Birmingham" }),
      // The same, but the namesake's record gives a birth date the profile's other records contradict.
      rec("tom1", 2, { firstName: "Tom", lastName: "Reid", birthDate: "1980-01-02", postcode: "LS1 4AP" }),
      rec("tom2", 2, { firstName: "Tom", lastName: "Reid", birthDate: "1990-03-04", postcode: "LS1 4AP" }),
      // One person in two records: not over-merged.
      rec("ann", 3, { firstName: "Ann", email: "ann@example.com" }),
      rec("ann", 3, { firstName: "Ann", postcode: "M1 1AE" }),
    ]);
    expect(r).toEqual({ overMerged: 2, indistinguishable: 1 });
  });
});
