/**
 * `npm run identity:export -- --out clusters.csv [--db file]`: every source record with the profile
 * it resolved to, so anyone can score the resolution against their own truth. Streamed row by row.
 */
import fs from "node:fs";
import { csvRow } from "@/lib/csv";
import { once } from "node:events";
import { type Db } from "@/db/client";
import { sourceRecordClusters } from "@/lib/identity/export";
import { UsageError, runCli } from "./cli";

export async function exportClusters(db: Db, out: string): Promise<number> {
  const rows = sourceRecordClusters(db);
  const file = fs.createWriteStream(out);
  let count = 0;
  try {
    if (!file.write("source,source_customer_id,profile_id\n")) await once(file, "drain");
    for (const [source, id, profileId] of rows) {
      count++;
      if (!file.write(csvRow([source, id, profileId], "\n"))) await once(file, "drain");
    }
  } finally {
    file.end();
    await once(file, "finish");
  }
  return count;
}

runCli(import.meta.url, {
  usage: "tsx scripts/identity-export.ts --out clusters.csv [--db file]",
  options: { out: { type: "string" } },
  async run({ values, db }) {
    if (!values.out) throw new UsageError("--out is required.");
    const count = await exportClusters(db({ readonly: true }), values.out);
    console.log(`wrote ${count.toLocaleString("en-GB")} source records to ${values.out}`);
  },
});
