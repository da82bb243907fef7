import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mine-"));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("scripts/mine.ts file mode", () => {
  it("writes arules-style rules and a summary", () => {
    const baskets = path.join(dir, "baskets.csv");
    const out = path.join(dir, "rules.csv");
    fs.writeFileSync(baskets, "a,b,c\na,b\na,c\nb,c\na\n");
    const summary = execFileSync(
      process.execPath,
      ["--import", "tsx", "scripts/mine.ts", "--baskets", baskets, "--min-support", "0.2", "--min-confidence", "0.5", "--min-len", "2", "--out", out],
      { encoding: "utf8" },
    );
    expect(summary).toMatch(/baskets:\s+5\n/);
    expect(summary).toMatch(/rules:\s+9 \(6 of length 2, 3 of length 3\)/);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("lhs,rhs,support,confidence,lift,count");
    expect(lines).toContain(`"{a,b}",{c},0.2,0.5,${(0.5 * 5) / 3},1`);
    expect(lines).toContain(`{b},{c},0.4,${2 / 3},${((2 / 3) * 5) / 3},2`);
    expect(lines).toHaveLength(10);
  });
});
