import { describe, expect, it } from "vitest";
import { activityBatches } from "./activity";
import { activityBatchesInWorker } from "./activity-feed";

describe("activityBatches", () => {
  it("draws the same people, records, orders and browsing on a worker thread as in this one", () => {
    const here = [...activityBatches(1_800, 5)];
    const there = [...activityBatchesInWorker(1_800, 5)];
    expect(here.map((b) => b.length)).toEqual([4, 500, 500, 500, 296]);
    expect(there).toEqual(here);
  });

  it("stops the worker when the caller stops taking batches", () => {
    const batches = activityBatchesInWorker(1_000_000, 5);
    let people = 0;
    for (const batch of batches) {
      people += batch.length;
      if (people > 1_000) break;
    }
    expect(people).toBe(1_004);
    expect(batches.next().done).toBe(true);
  });
});
