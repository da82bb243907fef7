import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingest, seedBasics, tempDatabase } from "@/lib/test/factories";
import { exportClusters } from "./identity-export";

describe("identity:export", () => {
  it("writes a source customer ID that looks like a formula as text", async () => {
    const { db, file, cleanup } = tempDatabase();
    try {
      seedBasics(db);
      ingest(db, [{ source: "pos", sourceCustomerId: '=HYPERLINK("http://evil.example","Click")', firstName: "Eve" }]);
      const out = path.join(path.dirname(file), "clusters.csv");
      expect(await exportClusters(db, out)).toBe(1);
      const [, row] = fs.readFileSync(out, "utf8").trim().split("\n");
      expect(row).toMatch(/^pos,"'=HYPERLINK\(""http:\/\/evil\.example"",""Click""\)",\d+$/);
    } finally {
      cleanup();
    }
  });
});
