import { batchesFromWorker } from "@/lib/worker-batches";
import type { DrawnPerson } from "./activity";

/**
 * The load's batches (activity.ts's activityBatches) drawn on a worker thread while the main thread
 * resolves and writes the ones before: drawing people and their histories is pure JavaScript, a
 * tenth of the load's CPU, and the machine has a core to spare. Taken synchronously: the bulk load
 * runs in one synchronous SQLite transaction.
 */
export function activityBatchesInWorker(profiles: number, seed: number): Generator<DrawnPerson[]> {
  return batchesFromWorker(new URL("./activity-worker.ts", import.meta.url), { profiles, seed }, "drawing the people");
}
