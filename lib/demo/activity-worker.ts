/** Worker side of activity-feed.ts: draws the load's batches and posts them (worker-batches.ts). */
import { workerData } from "node:worker_threads";
import { postBatches } from "@/lib/worker-batches";
import { activityBatches } from "./activity";

const { profiles, seed } = workerData as { profiles: number; seed: number };
await postBatches(activityBatches(profiles, seed));
