import { afterEach, beforeEach } from "vitest";
import { type Db, openDatabase } from "@/db/client";
import { tempDatabase } from "./factories";

/** A fresh, migrated SQLite file for every test of the file, removed after it; `setUp` gets it first (keep it, seed it). */
export function databaseEachTest(setUp: (db: Db) => unknown): void {
  let cleanup = () => {};
  beforeEach(async () => {
    const fresh = tempDatabase();
    cleanup = fresh.cleanup;
    await setUp(fresh.db);
  });
  afterEach(() => cleanup());
}

/**
 * For tests that close and reopen their files: each call makes one; `reopen(file)` opens one again,
 * closed before the files are removed after the test.
 */
export function databasesRemovedAfterEachTest() {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const make = () => {
    const t = tempDatabase();
    cleanups.push(t.cleanup);
    return t;
  };
  make.reopen = (file: string): Db => {
    const db = openDatabase(file);
    cleanups.unshift(() => db.$client.close());
    return db;
  };
  return make;
}
