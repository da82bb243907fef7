/**
 * Worker side of activity-feed.ts: draws the load's batches and posts each to the port, at most
 * AHEAD batches in front of what the main thread has taken.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { activityBatches } from "./activity";
import { AHEAD, CONSUMED, PRODUCED } from "./activity-feed-state";

const { port, state, profiles, seed } = workerData as { port: MessagePort; state: Int32Array; profiles: number; seed: number };

function post(message: unknown): void {
  port.postMessage(message);
  Atomics.add(state, PRODUCED, 1);
  Atomics.notify(state, PRODUCED);
}

try {
  let sent = 0;
  for (const batch of activityBatches(profiles, seed)) {
    for (let taken = Atomics.load(state, CONSUMED); sent - taken >= AHEAD; taken = Atomics.load(state, CONSUMED)) Atomics.wait(state, CONSUMED, taken);
    post({ batch });
    sent++;
  }
  post({ done: true });
} catch (e) {
  post({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
port.close();
