import "server-only";
import type { Db } from "@/db/client";
import { getDb } from "@/db/server";

/**
 * Calls a lib function on the app's connection: pages and route handlers name the function and its
 * arguments and never hold a connection (actions get theirs from the wrapper, safe-action.ts).
 */
export function withDb<A extends unknown[], R>(fn: (db: Db, ...args: A) => R, ...args: A): R {
  return fn(getDb(), ...args);
}
