import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort, workerData } from "node:worker_threads";
import { DomainError } from "@/lib/errors";

/** Slots of the Int32Array the main thread and the worker share: batches posted, batches taken. */
const PRODUCED = 0;
const CONSUMED = 1;
/** Batches the worker may make ahead of the main thread: enough to never keep it waiting, few enough to hold little memory. */
const AHEAD = 8;
/** How long the main thread waits for a batch before it gives the worker up for dead: making one takes a fraction of a second. */
const SILENCE_MS = 120_000;

/** A failure the worker expected (a DomainError: a file it cannot read) travels as its code and message, to be thrown again as one. */
type Message<T> = { batch: T } | { done: true } | { error: string } | { expected: Pick<DomainError, "code" | "message"> };

/**
 * Batches made on a worker thread (`entry`, which calls postBatches) while the main thread works on
 * the ones before: pure JavaScript work done on the machine's other core. Taken synchronously, so a
 * caller inside a synchronous SQLite transaction can take them too: the main thread blocks on a
 * shared counter (Atomics.wait) until the next batch is posted, and reads it with
 * receiveMessageOnPort. `what` names the work in errors ("drawing the people").
 */
export function batchesFromWorker<T>(entry: URL, data: Record<string, unknown>, what: string): Generator<T> {
  const state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  // The worker is TypeScript, run under tsx or vitest alike: it registers tsx's loader itself, then
  // imports it (Node 20 runs a worker's entry before hooks its --import flag registers).
  const tsx = import.meta.resolve("tsx/esm/api");
  // A module that fails to load is reported as any other failure of the worker, not left to the silence below.
  const boot = `const { workerData } = require("node:worker_threads");
    import(${JSON.stringify(tsx)})
      .then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })
      .catch((e) => {
        workerData.port.postMessage({ error: String((e && e.stack) || e) });
        Atomics.add(workerData.state, ${PRODUCED}, 1);
        Atomics.notify(workerData.state, ${PRODUCED});
      });`;
  const worker = new Worker(boot, { eval: true, workerData: { ...data, port: port2, state }, transferList: [port2] });
  // Never the reason the process stays up: a caller that stops half-way terminates it below.
  worker.unref();
  return receive<T>(worker, port1, state, what);
}

/** The worker starts at once (loading tsx takes it a second), the batches are taken as the caller iterates. */
function* receive<T>(worker: Worker, port1: MessagePort, state: Int32Array, what: string): Generator<T> {
  try {
    for (;;) {
      const posted = Atomics.load(state, PRODUCED);
      const received = receiveMessageOnPort(port1);
      if (received === undefined) {
        // A worker that died without a word posts nothing; the main thread cannot see its exit while it blocks.
        if (Atomics.wait(state, PRODUCED, posted, SILENCE_MS) === "timed-out") throw new Error(`The worker ${what} sent nothing for ${SILENCE_MS / 1000} s.`);
        continue;
      }
      Atomics.add(state, CONSUMED, 1);
      Atomics.notify(state, CONSUMED);
      const message = received.message as Message<T>;
      if ("expected" in message) throw new DomainError(message.expected.code, message.expected.message);
      if ("error" in message) throw new Error(`${what[0].toUpperCase()}${what.slice(1)} failed: ${message.error}`);
      if ("done" in message) return;
      yield message.batch;
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Worker side of batchesFromWorker: posts each batch, at most AHEAD in front of what the main thread has taken, then the end or the failure. */
export async function postBatches<T>(batches: Iterable<T> | AsyncIterable<T>): Promise<void> {
  const { port, state } = workerData as { port: MessagePort; state: Int32Array };
  const post = (message: Message<T>) => {
    port.postMessage(message);
    Atomics.add(state, PRODUCED, 1);
    Atomics.notify(state, PRODUCED);
  };
  try {
    let sent = 0;
    for await (const batch of batches) {
      for (let taken = Atomics.load(state, CONSUMED); sent - taken >= AHEAD; taken = Atomics.load(state, CONSUMED)) Atomics.wait(state, CONSUMED, taken);
      post({ batch });
      sent++;
    }
    post({ done: true });
  } catch (e) {
    post(e instanceof DomainError ? { expected: { code: e.code, message: e.message } } : { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  port.close();
}
