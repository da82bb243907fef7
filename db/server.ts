import "server-only";
import { type Db, openDatabase } from "./client";
import { env } from "@/env";
import { optimizePeriodically } from "./statistics";

const globalForDb = globalThis as unknown as { clienteleDb?: Db };

/** The app's one connection: better-sqlite3 is synchronous, so one per process is the fastest arrangement. */
export function getDb(): Db {
  if (!globalForDb.clienteleDb) {
    globalForDb.clienteleDb = openDatabase(env().DATABASE_PATH);
    optimizePeriodically(globalForDb.clienteleDb.$client);
  }
  return globalForDb.clienteleDb;
}
