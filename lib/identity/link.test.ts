import { describe, expect, it } from "vitest";
import { type LinkCandidate, canonicalBirthDate, planGuardedLink, planLink } from "./link";
import type { Identifier } from "./normalize";

const phone: Identifier = { type: "phone", value: "+447412345678" };
const email: Identifier = { type: "email", value: "a@example.com" };
const card = (value: string): Identifier => ({ type: "loyalty", value });
const none = { loyalty: [], birthDates: [] };
const candidate = (profileId: number, via: Identifier[], loyalty: string[] = [], birthDates: string[] = []): LinkCandidate => ({
  profileId,
  via,
  attributes: { loyalty, birthDates },
});

describe("planLink", () => {
  it("joins the oldest profile and absorbs the others it bridges", () => {
    expect(planLink(null, new Map())).toEqual({ target: null, absorb: [] });
    expect(planLink(7, new Map([[phone, [3]], [email, [5, 3]]]))).toEqual({ target: 3, absorb: [5, 7] });
  });
});

describe("planGuardedLink", () => {
  it("links as planLink does when nothing conflicts", () => {
    const plan = planGuardedLink({ currentProfile: null, attributes: { loyalty: ["CL1"], birthDates: [] }, candidates: [candidate(4, [phone], ["CL1"]), candidate(2, [email])] });
    expect(plan).toEqual({ target: 2, absorb: [4], conflicts: [] });
  });

  it("keeps apart a profile holding another loyalty ID and reports it", () => {
    const plan = planGuardedLink({ currentProfile: null, attributes: { loyalty: ["CL2"], birthDates: [] }, candidates: [candidate(1, [phone], ["CL1"])] });
    expect(plan.target).toBeNull();
    expect(plan.conflicts).toEqual([{ kind: "conflicting_loyalty", profileId: 1, via: phone, ours: "CL2", theirs: "CL1" }]);
  });

  it("keeps apart a profile with another birth date", () => {
    const plan = planGuardedLink({ currentProfile: null, attributes: { loyalty: [], birthDates: ["19710624"] }, candidates: [candidate(1, [email], [], ["19800101"]), candidate(2, [phone], [], ["19710624"])] });
    expect(plan).toMatchObject({ target: 2, absorb: [], conflicts: [{ kind: "conflicting_birth_date", profileId: 1, ours: "19710624", theirs: "19800101" }] });
  });

  it("joins nobody when the candidates are different people and the record cannot tell which it is", () => {
    const plan = planGuardedLink({ currentProfile: null, attributes: none, candidates: [candidate(1, [phone], ["CL1"]), candidate(2, [phone], ["CL2"])] });
    expect(plan.target).toBeNull();
    expect(plan.conflicts.map((c) => c.profileId)).toEqual([1, 2]);
  });

  it("trusts the loyalty card over a shared phone", () => {
    const plan = planGuardedLink({ currentProfile: null, attributes: { loyalty: ["CL2"], birthDates: [] }, candidates: [candidate(1, [phone], ["CL1"]), candidate(2, [card("CL2"), phone], ["CL2"])] });
    expect(plan).toMatchObject({ target: 2, absorb: [] });
    expect(plan.conflicts.map((c) => [c.kind, c.profileId])).toEqual([["conflicting_loyalty", 1]]);
  });

  it("stays in its current profile", () => {
    expect(planGuardedLink({ currentProfile: 9, attributes: none, candidates: [candidate(9, [phone])] })).toEqual({ target: 9, absorb: [], conflicts: [] });
  });

  it("compares birth dates by their digits", () => {
    expect(canonicalBirthDate(" 1971-06-24 ")).toBe(canonicalBirthDate("19710624"));
    expect(canonicalBirthDate("")).toBeNull();
  });
});
