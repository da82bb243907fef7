import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Db, openDatabase } from "@/db/client";
import { seedDemo } from "@/lib/demo/demo";

/**
 * A temporary folder holding the demo chain with no customers (stores, staff, catalogue, sources),
 * for tests that load generated files into fresh copies of one store. `create()` seeds it (seconds:
 * call it in beforeAll); `copy(name)` gives a test its own file; `remove()` deletes the folder.
 */
export function emptyDemoStore(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const base = path.join(dir, "base.db");
  return {
    dir,
    create(): void {
      const db = openDatabase(base);
      try {
        seedDemo(db, { profiles: 0 });
        // Everything in the main file, so a plain file copy is the whole store.
        db.$client.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        db.$client.close();
      }
    },
    copy(name: string): string {
      const file = path.join(dir, name);
      fs.copyFileSync(base, file);
      return file;
    },
    remove(): void {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A store's content, table by table: its rows in a fixed order, every column but those `tables`
 * names to skip (wall-clock stamps), so a column added later is compared too; and the name index.
 */
export function storeDigest(db: Db, tables: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, skip] of Object.entries(tables)) {
    const columns = (db.$client.prepare(`select name from pragma_table_info('${table}')`).pluck().all() as string[])
      .filter((c) => !skip.includes(c))
      .join(", ");
    const hash = createHash("sha256");
    let n = 0;
    for (const row of db.$client.prepare(`select ${columns} from ${table} order by ${columns}`).raw().iterate()) {
      hash.update(JSON.stringify(row));
      n++;
    }
    out[table] = `${n} rows ${hash.digest("hex").slice(0, 16)}`;
  }
  // The name index holds which live profiles are searchable under which names: every term of every
  // profile's row, read through fts5vocab since the index keeps no copy of the text.
  db.$client.exec("create virtual table if not exists temp.profile_search_terms using fts5vocab(main, profile_search, instance)");
  const terms = createHash("sha256");
  let n = 0;
  for (const row of db.$client.prepare("select term, doc, col, offset from temp.profile_search_terms order by 1, 2, 3, 4").raw().iterate()) {
    terms.update(JSON.stringify(row));
    n++;
  }
  out.profile_search = `${n} terms ${terms.digest("hex").slice(0, 16)}`;
  return out;
}
