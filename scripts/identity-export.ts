/**
 * `npm run identity:export -- --out clusters.csv [--db file]`: every source record with the profile
 * it resolved to, so anyone can score the resolution against their own truth. Streamed row by row.
 */
import fs from "node:fs";
import { csvRow } from "@/lib/csv";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { type Db, openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { sourceRecordClusters } from "@/lib/identity/export";
import { cliDatabasePath, runWhenMain } from "./cli";

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

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: "string" }, db: { type: "string" } } });
  if (!values.out) {
    console.error("Usage: tsx scripts/identity-export.ts --out clusters.csv [--db file]");
    return 2;
  }
  const db = openDatabase(cliDatabasePath(values.db), { readonly: true });
  try {
    const count = await exportClusters(db, values.out);
    console.log(`wrote ${count.toLocaleString("en-GB")} source records to ${values.out}`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}

runWhenMain(import.meta.url, main);
