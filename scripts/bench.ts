/**
 * `npm run bench`: figures, not pass/fail. On the 1M-profile database (generated once and cached
 * under data/), measures the identifier point query, the lib lookup, the lookup server action over
 * HTTP as the browser calls it beside a no-op action, and the profile page, at concurrency 1 and 4;
 * and the managers' customer list (scripts/bench-lists.ts).
 *
 *   npm run bench -- [--profiles 1000000] [--db data/bench-1m.db] [--requests 2000] [--port 3200]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { openDatabase } from "@/db/client";
import { lookupCustomer } from "@/lib/customers/lookup";
import { loadIdentitySettings } from "@/lib/identity/settings";

const { values: args } = parseArgs({
  options: {
    profiles: { type: "string", default: "1000000" },
    db: { type: "string" },
    requests: { type: "string", default: "2000" },
    port: { type: "string", default: "3200" },
  },
});
const profiles = Number(args.profiles);
const dbFile = args.db ?? `data/bench-${profiles >= 1_000_000 ? `${profiles / 1_000_000}m` : `${profiles / 1000}k`}.db`;
const requests = Number(args.requests);
const port = Number(args.port);
const rows: string[][] = [];

function stats(samplesMs: number[]) {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

function record(name: string, samples: number[], extra = "") {
  const { p50, p95, p99 } = stats(samples);
  rows.push([name, fmt(p50), fmt(p95), fmt(p99), extra]);
  console.log(`  ${name}: p50 ${fmt(p50)} p95 ${fmt(p95)} p99 ${fmt(p99)} ${extra}`);
}

function timeSync(n: number, fn: (i: number) => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

// 1. The database, generated once.
if (!fs.existsSync(dbFile)) {
  console.log(`Generating ${profiles} profiles into ${dbFile} (once; cached for later runs)…`);
  const started = Date.now();
  const gen = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate.ts", "--profiles", String(profiles), "--db", dbFile], { stdio: "inherit" });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
  const seconds = (Date.now() - started) / 1000;
  rows.push(["generation (once)", `${seconds.toFixed(0)} s`, "", "", `${Math.round(profiles / seconds)} profiles/s end to end`]);
} else {
  console.log(`Using cached ${dbFile}`);
}

// Mining the whole history (issue: ≤ 60 s, ≤ 2 GB); it also fills the associations the profile page suggests from.
{
  console.log("Mining co-purchase associations over the whole database…");
  const started = Date.now();
  const mine = spawnSync(process.execPath, ["--import", "tsx", "scripts/mine.ts", "--db", dbFile], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (mine.status !== 0) process.exit(mine.status ?? 1);
  const peak = /peak RSS:\s*(.+)/.exec(mine.stdout)?.[1]?.trim() ?? "?";
  const stored = /rules stored:\s*(.+)/.exec(mine.stdout)?.[1]?.trim() ?? "?";
  rows.push(["mining associations (npm run mine)", `${((Date.now() - started) / 1000).toFixed(0)} s`, "", "", `peak RSS ${peak}; ${stored}`]);
}

const db = openDatabase(dbFile);
const sqlite = db.$client;
const counts = {
  profiles: (sqlite.prepare("select count(*) n from profiles where merged_into is null").get() as { n: number }).n,
  orderLines: (sqlite.prepare("select max(id) n from order_lines").get() as { n: number }).n,
};
console.log(`${counts.profiles} profiles, ${counts.orderLines} order lines`);

// Identifiers spread over the whole table, in the forms an assistant would type.
const maxId = (sqlite.prepare("select max(id) n from identifiers").get() as { n: number }).n;
const pick = sqlite.prepare("select type, value from identifiers where id >= ? limit 1");
const sample: { type: string; value: string }[] = [];
for (let i = 0; i < requests; i++) sample.push(pick.get(1 + Math.floor(((i * 7919) % requests) / requests * maxId)) as { type: string; value: string });

// 2. Raw point query and the lib lookup, in process.
console.log("In process:");
const point = sqlite.prepare("select distinct profile_id from identifiers where type = ? and value = ?");
timeSync(2000, (i) => point.all(sample[i % sample.length].type, sample[i % sample.length].value));
record("raw better-sqlite3 point query", timeSync(requests * 5, (i) => point.all(sample[i % sample.length].type, sample[i % sample.length].value)));
const settings = loadIdentitySettings(db);
timeSync(500, (i) => lookupCustomer(db, settings, sample[i % sample.length].value));
record("lib lookupCustomer", timeSync(requests * 2, (i) => lookupCustomer(db, settings, sample[i % sample.length].value)));

const names = (sqlite.prepare("select first_name || ' ' || substr(last_name, 1, 4) as q from profiles where merged_into is null and first_name is not null and last_name is not null and id % 13 = 0 limit 1000").all() as { q: string }[]).map((r) => r.q);
timeSync(200, (i) => lookupCustomer(db, settings, names[i % names.length]));
record("lib name search (first name + 4 letters)", timeSync(Math.min(names.length * 2, requests), (i) => lookupCustomer(db, settings, names[i % names.length])));

// The managers' customer list over its filter combinations, in its own script (it prints its own table).
sqlite.close();
{
  const lists = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-lists.ts", "--db", dbFile, "--iterations", "20"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (lists.status !== 0) process.exit(lists.status ?? 1);
  process.stdout.write(lists.stdout);
  const worst = /worst p95: (.+)/.exec(lists.stdout)?.[1] ?? "?";
  rows.push(["customer list (lib query), worst p95 over all combinations", worst, "", "", "npm run bench:lists for the full table"]);
}
const reopened = openDatabase(dbFile).$client;

// Profiles with a typical-to-long history for the page render.
const pageProfiles = (reopened.prepare("select id from profiles where merged_into is null and order_count between 4 and 30 and id % 97 = 0 limit 500").all() as { id: number }[]).map((r) => r.id);
reopened.close();

// 3. The app over HTTP.
if (!fs.existsSync(".next/BUILD_ID")) {
  console.log("Building the app…");
  if (spawnSync("npx", ["next", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName: string }> };
const actionId = (name: string) => {
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`server action ${name} not in the build`);
  return id;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
type Reply = { status: number; body: string; headers: http.IncomingHttpHeaders };
function request(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers, agent }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

async function signIn(email: string, password: string): Promise<string> {
  const csrf = await request("GET", "/api/auth/csrf", {});
  const csrfCookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString();
  const res = await request("POST", "/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie }, form);
  const session = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return session;
}

async function load(name: string, concurrency: number, n: number, call: (i: number) => Promise<Reply>, check: (r: Reply) => boolean) {
  const samples: number[] = [];
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = process.hrtime.bigint();
        const r = await call(i);
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (!check(r)) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  record(`${name} c=${concurrency}`, samples, `${Math.round(n / seconds)} req/s${failures ? `, ${failures} FAILED` : ""}`);
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function waitForServer(child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error("next start exited");
    try {
      if ((await request("GET", "/sign-in", {})).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("next start did not come up");
}

const server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
  env: { ...process.env, DATABASE_PATH: dbFile, AUTH_SECRET: randomBytes(32).toString("base64url"), AUTH_TRUST_HOST: "true", NODE_ENV: "production" },
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  await waitForServer(server);
  const associate = await signIn("associate@demo.clientele", "demo-associate");
  const hq = await signIn("hq@demo.clientele", "demo-hq");
  const lookupId = actionId("lookupCustomerAction");
  const pingId = actionId("pingAction");
  const actionHeaders = (id: string, cookie: string) => ({ "next-action": id, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", cookie });
  const lookup = (i: number) => request("POST", "/", actionHeaders(lookupId, associate), JSON.stringify([{ query: sample[i % sample.length].value, submitted: true }]));
  const ping = () => request("POST", "/", actionHeaders(pingId, associate), "[]");
  const page = (i: number) => request("GET", `/customers/${pageProfiles[i % pageProfiles.length]}`, { cookie: hq });
  const found = (r: Reply) => r.status === 200 && /"kind":"(open|matches)"/.test(r.body);
  const ok = (r: Reply) => r.status === 200;

  console.log("Over HTTP against next start:");
  await load("warm-up", 2, 300, lookup, found);
  rows.pop();
  for (const c of [1, 4]) {
    await load("no-op server action", c, requests, ping, ok);
    await load("lookup server action", c, requests, lookup, found);
  }
  await load("warm-up", 2, 100, page, ok);
  rows.pop();
  for (const c of [1, 4]) await load("profile page (header, suggestions, 10 orders, side panels)", c, Math.min(requests, 1000), page, (r) => r.status === 200 && r.body.includes("Purchase history"));
  const html = (await request("GET", "/", { cookie: associate })).body;
  // Modern browsers skip the noModule polyfills, so they are not part of what a tablet loads.
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].filter((m) => !/nomodule/i.test(m[1])).flatMap((m) => /src="([^"]+\.js)"/.exec(m[1])?.[1] ?? []);
  let gzipped = 0;
  for (const src of new Set(scripts)) gzipped += gzipSync((await request("GET", src, {})).body).length;
  rows.push(["lookup page first-load JS", `${(gzipped / 1024).toFixed(0)} kB gzipped`, "", "", `${new Set(scripts).size} scripts`]);
  const dbBytes = ["", "-wal"].map((s) => (fs.existsSync(dbFile + s) ? fs.statSync(dbFile + s).size : 0)).reduce((a, b) => a + b, 0);
  rows.push(["database size", `${(dbBytes / 1024 ** 3).toFixed(2)} GiB`, "", "", `${counts.profiles} profiles, ${counts.orderLines} order lines`]);
  rows.push(["peak memory", `${peakRssMb(server.pid!).toFixed(0)} MB`, "", "", `next start; bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
} finally {
  server.kill("SIGTERM");
  agent.destroy();
}

console.log("\n| measure | p50 | p95 | p99 | notes |\n| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
