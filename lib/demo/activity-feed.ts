import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { DrawnPerson } from "./activity";
import { CONSUMED, PRODUCED } from "./activity-feed-state";

/** How long the main thread waits for a batch before it gives the worker up for dead: drawing one takes a fraction of a second. */
const SILENCE_MS = 120_000;

/**
 * The load's batches (activity.ts's activityBatches) drawn on a worker thread while the main thread
 * resolves and writes the ones before: drawing people and their histories is pure JavaScript, a
 * tenth of the load's CPU, and the machine has a core to spare. Taken synchronously, because the
 * bulk load runs in one synchronous SQLite transaction: the main thread blocks on a shared counter
 * (Atomics.wait) until the next batch is posted, and reads it with receiveMessageOnPort.
 */
export function activityBatchesInWorker(profiles: number, seed: number): Generator<DrawnPerson[]> {
  const state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  // The worker is TypeScript, run under tsx or vitest alike: it registers tsx's loader itself, then
  // imports it (Node 20 runs a worker's entry before hooks its --import flag registers).
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./activity-worker.ts", import.meta.url).href;
  // A module that fails to load is reported as any other failure of the worker, not left to the silence below.
  const boot = `const { workerData } = require("node:worker_threads");
    import(${JSON.stringify(tsx)})
      .then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })
      .catch((e) => {
        workerData.port.postMessage({ error: String((e && e.stack) || e) });
        Atomics.add(workerData.state, ${PRODUCED}, 1);
        Atomics.notify(workerData.state, ${PRODUCED});
      });`;
  const worker = new Worker(boot, {
    eval: true,
    workerData: { port: port2, state, profiles, seed },
    transferList: [port2],
  });
  // Never the reason the process stays up: a load that stops half-way terminates it below.
  worker.unref();
  return receive(worker, port1, state);
}

/** The worker starts at once (loading tsx takes it a second), the batches are taken as the caller iterates. */
function* receive(worker: Worker, port1: MessagePort, state: Int32Array): Generator<DrawnPerson[]> {
  try {
    for (;;) {
      const posted = Atomics.load(state, PRODUCED);
      const received = receiveMessageOnPort(port1);
      if (received === undefined) {
        // A worker that died without a word posts nothing; the main thread cannot see its exit while it blocks.
        if (Atomics.wait(state, PRODUCED, posted, SILENCE_MS) === "timed-out")
          throw new Error(`The worker drawing the people sent nothing for ${SILENCE_MS / 1000} s.`);
        continue;
      }
      Atomics.add(state, CONSUMED, 1);
      Atomics.notify(state, CONSUMED);
      const message = received.message as { batch?: DrawnPerson[]; done?: true; error?: string };
      if (message.error !== undefined) throw new Error(`Drawing the people failed: ${message.error}`);
      if (message.done) return;
      yield message.batch!;
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
}
