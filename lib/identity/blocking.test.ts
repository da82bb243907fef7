import { describe, expect, it } from "vitest";
import { MAX_BLOCK, MAX_ADDRESS_BLOCK, blockCap, blockingKeys } from "./blocking";
import { matchRecord } from "./match-record.fixture";

describe("blocking keys", () => {
  it("puts records at one house in one block, however the rest of the address was keyed", () => {
    const keyOf = (address: string) => blockingKeys(matchRecord({ address })).filter((k) => k.startsWith("a:"));
    expect(keyOf("6 Ashburton Circuit North Avenue")).toEqual(keyOf("6 ashburton circuit north vaenue"));
    expect(keyOf("Flat 2, 14 Mill Lane")).toEqual(keyOf("14 Mill Lane"));
    expect(keyOf("14 Mill Lane")).not.toEqual(keyOf("16 Mill Lane"));
    expect(keyOf("Rose Cottage")).toEqual([]);
  });

  it("walks an address block only while it holds a household, other blocks up to the cap given", () => {
    const [house] = blockingKeys(matchRecord({ address: "12 Park Avenue" }));
    expect(blockCap(house, MAX_BLOCK)).toBe(MAX_ADDRESS_BLOCK);
    expect(blockCap("p:LS14AP", MAX_BLOCK)).toBe(MAX_BLOCK);
  });
});
