import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SETS, evaluate } from "./eval-identity";

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
