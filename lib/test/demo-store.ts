import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
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
