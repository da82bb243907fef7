/**
 * `npm start`: makes sure there is a secret and a migrated, seeded database, then runs `next start`.
 * The first start on a fresh machine loads the demo chain; later starts reuse the same file.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { isSeeded, seedDemo } from "@/lib/demo/demo";
import { trustedProxiesSchema } from "@/env";
import { findPossibleDuplicates } from "@/lib/identity/duplicates";
import { isStoreCustomerStatsEmpty, rebuildStoreCustomerStats } from "@/lib/lists/stats";
import { DATABASE_MINING_DEFAULTS, mineDatabase } from "@/lib/suggest/mine-database";
import { cliDatabasePath } from "./cli";

const DEMO_PROFILES = Number(process.env.DEMO_PROFILES ?? 3000);

function ensureSecret(databasePath: string): string {
  if (process.env.AUTH_SECRET && process.env.AUTH_SECRET.length >= 32) return process.env.AUTH_SECRET;
  const file = path.join(path.dirname(path.resolve(databasePath)), ".auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

const databasePath = cliDatabasePath();
const db = openDatabase(databasePath);
if (!isSeeded(db)) {
  const started = Date.now();
  process.stdout.write(`First start: loading the demo chain (${DEMO_PROFILES} customers) into ${databasePath}…\n`);
  seedDemo(db, { profiles: DEMO_PROFILES });
  // Suggestions need mined co-purchases from the first start, not only after someone runs npm run mine.
  mineDatabase(db, DATABASE_MINING_DEFAULTS);
  // The review queue's possible duplicates, as the nightly identity:duplicates pass would leave them.
  findPossibleDuplicates(db);
  process.stdout.write(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
// A database filled before the customer-list tables existed (or by a bulk load that bypassed ingest).
if (isStoreCustomerStatsEmpty(db)) rebuildStoreCustomerStats(db);
closeDatabase(db);

const port = process.env.PORT ?? "3000";
// A bad TRUSTED_PROXIES fails here, before the server listens, rather than at the first sign-in.
const proxies = trustedProxiesSchema.safeParse(process.env.TRUSTED_PROXIES);
if (!proxies.success) throw new Error(proxies.error.issues[0].message);
const child = spawn(
  process.execPath,
  ["--require", path.resolve("scripts", "trusted-peer.cjs"), path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", port],
  {
    stdio: "inherit",
    env: { ...process.env, DATABASE_PATH: databasePath, AUTH_SECRET: ensureSecret(databasePath), AUTH_TRUST_HOST: "true", NODE_ENV: "production" },
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
