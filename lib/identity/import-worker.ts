/** The reading worker of a bulk load of customers (importFiles): the run's files read, checked and hashed, posted in batches. */
import { workerData } from "node:worker_threads";
import { postBatches } from "@/lib/worker-batches";
import { type FileToRead, fileBatches, prepareCustomers } from "./file-batches";

const { files, batchSize } = workerData as { files: FileToRead[]; batchSize: number };

async function* prepared() {
  for await (const batch of fileBatches("customers", files, batchSize)) yield prepareCustomers(batch);
}

await postBatches(prepared());
