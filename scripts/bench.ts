/**
 * `npm run bench`: figures, not pass/fail, on a generated store of --profiles people (cached under
 * data/ by a hash of the generator, schema and migrations, so a change regenerates it; each run
 * works on a copy, since it imports into it). Measures, with at least --requests samples a figure:
 * the identifier point query and the lib lookup (stored forms and the forms people type), name
 * search, bytes per profile and per order line, the managers' customer list (bench:lists), the
 * lookup and no-op server actions over HTTP, the profile page per role on profiles not opened before
 * in the run (first view) and again (warm), the suggestions the page asks for once it is on screen
 * (their own request), the same lookups and first views while an import of
 * --import-records customer records runs on the same store, and what the assistant feels in Chromium.
 *
 *   npm run bench -- [--profiles 100000] [--requests 200] [--import-records 100000] [--browser-customers 40] [--port 3200]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { type SampledPerson, bytesByTable, identifierOwners, identifierPointQuery, samplePeople, staffByEmail, storeCounts } from "@/db/bench";
import { openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { writeSourceFiles } from "@/lib/demo/source-files";
import { type GrantVia, issueProfileGrant } from "@/lib/auth/grant";
import { lookupCustomer } from "@/lib/customers/lookup";
import { loadIdentitySettings } from "@/lib/identity/settings";
import { type FeltTiming, type SpokenCustomer, timeLookupToProfile } from "./bench-browser";
import { floorEmail, floorName, floorPhone, seedFloor } from "./bench-floor/db";

const { values: args } = parseArgs({
  options: {
    profiles: { type: "string", default: "100000" },
    requests: { type: "string", default: "200" },
    "import-records": { type: "string", default: "100000" },
    "browser-customers": { type: "string", default: "100" },
    port: { type: "string", default: "3200" },
  },
});
const profiles = Number(args.profiles.replace(/_/g, ""));
const requests = Math.max(200, Number(args.requests));
const importRecords = Number(args["import-records"].replace(/_/g, ""));
const browserCustomers = Number(args["browser-customers"]);
/** Customers a browser times before the floor (or the app) takes its turn. */
const BROWSER_BATCH = 10;
const browserBatches = Math.ceil(browserCustomers / BROWSER_BATCH);
// Each batch's fresh browser opens one customer untimed first, so no batch times a cold renderer.
const browserOpened = browserCustomers + browserBatches;
const port = Number(args.port);
const sizeLabel = profiles >= 1_000_000 ? `${profiles / 1_000_000}m` : `${profiles / 1000}k`;
const rows: string[][] = [];

// ---- Figures ----

function stats(samplesMs: number[]) {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99) };
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

function record(name: string, samples: number[], extra = ""): ReturnType<typeof stats> {
  const s = stats(samples);
  const note = `${samples.length} samples${extra ? `; ${extra}` : ""}`;
  rows.push([name, fmt(s.p50), fmt(s.p95), fmt(s.p99), note]);
  console.log(`  ${name}: p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} p99 ${fmt(s.p99)} (${note})`);
  return s;
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

// ---- 1. The store: cached by what made it ----

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** How npm run generate and npm run import start their scripts (package.json): the bench times what a person running them gets. */
const AS_NPM_RUNS = ["--max-semi-space-size=64", "--import", "tsx"];

/**
 * The files `import` (static or dynamic) or `new URL(…, import.meta.url)` (a worker) reach from
 * `entry`, within the project: all the code a run of the entry can execute.
 */
function sourceClosure(entry: string): string[] {
  const seen = new Set<string>();
  const resolve = (from: string, spec: string) => {
    const base = spec.startsWith("@/") ? spec.slice(2) : path.join(path.dirname(from), spec);
    return [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  };
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/(?:from|import\(|new URL\()\s*"((?:@\/|\.{1,2}\/)[^"]+)"/g)) {
      const found = resolve(file, spec);
      if (found) visit(found);
    }
  };
  visit(entry);
  return [...seen];
}

/** What the generated store depends on: every file of code the generator runs, and the migrations it applies. */
function storeHash(): string {
  const inputs = [...sourceClosure("scripts/generate.ts"), ...filesUnder("db/migrations")].sort();
  const hash = createHash("sha256");
  for (const f of inputs) hash.update(f).update(fs.readFileSync(f));
  return hash.digest("hex").slice(0, 10);
}

const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`];
const cached = `data/bench-${sizeLabel}-${storeHash()}.db`;
if (!fs.existsSync(cached)) {
  fs.mkdirSync("data", { recursive: true });
  for (const old of fs.readdirSync("data").filter((n) => n.startsWith(`bench-${sizeLabel}-`))) fs.rmSync(path.join("data", old));
  console.log(`Generating ${profiles} profiles into ${cached} (cached until the generator, schema or migrations change)…`);
  const partial = `${cached}.partial`;
  const started = Date.now();
  const gen = spawnSync(process.execPath, [...AS_NPM_RUNS, "scripts/generate.ts", "--profiles", String(profiles), "--db", partial, "--force"], {
    stdio: "inherit",
  });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
  const seconds = (Date.now() - started) / 1000;
  rows.push(["generation (once per store hash)", `${seconds.toFixed(0)} s`, "", "", `${Math.round(profiles / seconds)} people/s end to end`]);
  const mineStarted = Date.now();
  const mine = spawnSync(process.execPath, ["--import", "tsx", "scripts/mine.ts", "--db", partial], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (mine.status !== 0) process.exit(mine.status ?? 1);
  const peak = /peak RSS:\s*(.+)/.exec(mine.stdout)?.[1]?.trim() ?? "?";
  rows.push(["mining associations (npm run mine)", `${((Date.now() - mineStarted) / 1000).toFixed(0)} s`, "", "", `peak RSS ${peak}`]);
  fs.renameSync(partial, cached);
} else {
  console.log(`Using cached ${cached}`);
}
const dbFile = `data/bench-run-${sizeLabel}.db`;
for (const f of databaseFiles(dbFile)) fs.rmSync(f, { force: true });
fs.copyFileSync(cached, dbFile);

// ---- 2. Samples: people, their identifiers as stored and as typed ----

const db = openDatabase(dbFile);
const counts = storeCounts(db);
console.log(`${counts.profiles} profiles, ${counts.orderLines} order lines`);

const associate = staffByEmail(db, "associate@demo.clientele");
const manager = staffByEmail(db, "manager@demo.clientele");

// First views: the manager's from the store's customers; associate, head office, during the import and the browser from the rest.
const managerPool = samplePeople(db, requests, manager.storeId!);
const managerIds = new Set(managerPool.map((p) => p.id));
const warmUp = 30;
const pool = samplePeople(db, requests * 5 + browserOpened * 2 + warmUp + managerPool.length).filter((p) => !managerIds.has(p.id));
const warmUpPool = pool.splice(pool.length - warmUp);
const take = (n: number, from = pool) => {
  const out = from.splice(0, n);
  if (out.length < n) throw new Error(`the store has too few people for ${n} more first views`);
  return out;
};

/** The forms an assistant types: a phone as said aloud, with +44 or 0 and spaces; an email in mixed case; a loyalty ID in lower case with spaces. */
function asTyped(type: "loyalty" | "email" | "phone", value: string, i: number): string {
  if (type === "phone") {
    const national = value.replace(/^\+44/, "0");
    return i % 2 === 0 ? `${national.slice(0, 5)} ${national.slice(5)}` : `+44 ${value.slice(3, 7)} ${value.slice(7)}`;
  }
  if (type === "email") return ` ${value.charAt(0).toUpperCase()}${value.slice(1).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`)}`;
  return value
    .toLowerCase()
    .replace(/(.{4})/g, "$1 ")
    .trim();
}
const lookupSample = [...pool, ...managerPool]
  .slice(0, requests * 2)
  .flatMap((p, i) => (["phone", "email", "loyalty"] as const).filter((t) => p[t]).map((t) => ({ type: t, stored: p[t]!, typed: asTyped(t, p[t]!, i) })));

// ---- 3. In process ----

console.log("In process:");
const point = identifierPointQuery(db);
const pointAt = (i: number) => point(lookupSample[i % lookupSample.length].type, lookupSample[i % lookupSample.length].stored);
timeSync(500, pointAt);
record("raw better-sqlite3 point query", timeSync(requests * 5, pointAt));
const settings = loadIdentitySettings(db);
const libLookup = (form: "stored" | "typed") => (i: number) => lookupCustomer(db, settings, lookupSample[i % lookupSample.length][form]);
timeSync(300, libLookup("stored"));
record("lib lookupCustomer, stored form", timeSync(requests * 2, libLookup("stored")));
record("lib lookupCustomer, typed form (spaces, +44, mixed case)", timeSync(requests * 2, libLookup("typed")));
const names = [...pool, ...managerPool].slice(0, requests).map((p) => `${p.name.split(" ")[0]} ${p.name.split(" ")[1]?.slice(0, 4) ?? ""}`.trim());
timeSync(100, (i) => lookupCustomer(db, settings, names[i % names.length]));
record(
  "lib name search (first name + 4 letters)",
  timeSync(requests, (i) => lookupCustomer(db, settings, names[i % names.length])),
);

// Bytes: every table and index of a profile's side, and the order lines' own.
{
  const bytes = bytesByTable(db);
  const sum = (tables: string[]) => tables.reduce((n, t) => n + (bytes.get(t) ?? 0), 0);
  const orderSide = ["orders", "order_lines"];
  const profileSide = [...bytes.keys()].filter((t) => !orderSide.includes(t) && !/^(products|inventory|association_rules|sqlite_)/.test(t));
  rows.push([
    "bytes per profile",
    `${Math.round(sum(profileSide) / counts.profiles)} B`,
    "",
    "",
    `profiles, records, identifiers, search, lists, matching keys… (${profileSide.length} tables with their indexes)`,
  ]);
  rows.push([
    "bytes per order line",
    `${Math.round(sum(["order_lines"]) / counts.orderLines)} B`,
    "",
    "",
    `with its order's share: ${Math.round(sum(orderSide) / counts.orderLines)} B`,
  ]);
}
closeDatabase(db);

// The managers' customer list over its filter combinations, in its own script (it prints its own table).
{
  const lists = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-lists.ts", "--db", dbFile, "--iterations", "20"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (lists.status !== 0) process.exit(lists.status ?? 1);
  const worst = /worst p95: (.+)/.exec(lists.stdout)?.[1] ?? "?";
  rows.push(["customer list (lib query), worst p95 over all combinations", worst, "", "", "npm run bench:lists for the full table"]);
}

// ---- 4. Over HTTP ----

/** Whether the production build is missing or older than any source it is built from: a stale build would time old code. */
function buildIsStale(): boolean {
  if (!fs.existsSync(".next/BUILD_ID")) return true;
  const built = fs.statSync(".next/BUILD_ID").mtimeMs;
  const sources = [...["app", "components", "lib", "db"].flatMap(filesUnder), "proxy.ts", "auth.ts", "next.config.ts", "package.json"];
  return sources.some((f) => !f.endsWith(".test.ts") && fs.existsSync(f) && fs.statSync(f).mtimeMs > built);
}

if (buildIsStale()) {
  console.log("Building the app (no build, or sources newer than it)…");
  if (spawnSync("npm", ["run", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
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

async function timed(
  n: number,
  call: (i: number) => Promise<Reply>,
  check: (r: Reply) => boolean,
  concurrency = 1,
): Promise<{ samples: number[]; failures: number; perSecond: number }> {
  const samples: number[] = [];
  let i = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < n) {
        const mine = i++;
        const t = process.hrtime.bigint();
        const r = await call(mine);
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (!check(r)) failures++;
      }
    }),
  );
  return { samples, failures, perSecond: n / (Number(process.hrtime.bigint() - started) / 1e9) };
}

async function load(name: string, n: number, call: (i: number) => Promise<Reply>, check: (r: Reply) => boolean, concurrency = 1) {
  const r = await timed(n, call, check, concurrency);
  return record(
    `${name}${concurrency > 1 ? ` c=${concurrency}` : ""}`,
    r.samples,
    `${Math.round(r.perSecond)} req/s${r.failures ? `, ${r.failures} FAILED` : ""}`,
  );
}

async function waitForServer(child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
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

const FLOOR_DIR = "scripts/bench-floor";
const FLOOR_DB = "data/bench-floor.db";
const FLOOR_CUSTOMERS = 20_000;

/**
 * The floor the assistant's wait is held to: a bare Next.js app on the same next and better-sqlite3
 * (scripts/bench-floor), built when missing or older than its sources, started on the next port
 * and timed by the same driver, on customers it has not opened, typed the same ways.
 */
async function startFloor(): Promise<{ url: string; customers: (from: number, n: number) => SpokenCustomer[]; stop: () => void }> {
  if (!fs.existsSync(FLOOR_DB)) seedFloor(FLOOR_DB, FLOOR_CUSTOMERS);
  const next = path.join("node_modules", "next", "dist", "bin", "next");
  const built = path.join(FLOOR_DIR, ".next", "BUILD_ID");
  if (!fs.existsSync(built) || filesUnder(FLOOR_DIR).some((f) => !f.includes(".next") && fs.statSync(f).mtimeMs > fs.statSync(built).mtimeMs)) {
    // Webpack: Turbopack roots a nested app at this repository and takes the app's proxy.ts for the floor's.
    if (spawnSync(process.execPath, [next, "build", "--webpack", FLOOR_DIR], { stdio: "inherit" }).status !== 0) throw new Error("the floor did not build");
  }
  const floorPort = port + 1;
  const child = spawn(process.execPath, [next, "start", FLOOR_DIR, "-p", String(floorPort)], {
    stdio: "ignore",
    env: { ...process.env, FLOOR_DB: path.resolve(FLOOR_DB), NODE_ENV: "production" },
  });
  for (let up = false; !up;) {
    if (child.exitCode !== null) throw new Error("the floor's next start exited");
    up = await fetch(`http://127.0.0.1:${floorPort}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (!up) await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${floorPort}`,
    customers: (from, n) =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        const id = ((i + 1) * 7919) % FLOOR_CUSTOMERS || 1;
        return { name: floorName(id), typed: i % 4 < 2 ? asTyped("phone", floorPhone(id), i) : asTyped("email", floorEmail(id), i) };
      }),
    stop: () => child.kill("SIGTERM"),
  };
}

/** Customer records for the import: people the store has not seen, from the four customer sources. */
const importDir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-bench-import-"));
const importFiles = writeSourceFiles(importDir, { records: importRecords, seed: 7, firstPerson: profiles * 4, withOrders: false }).files.filter(
  (f) => f.kind === "customers",
);

async function runImport(): Promise<number> {
  const started = performance.now();
  for (const f of importFiles) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...AS_NPM_RUNS, "scripts/import.ts", "--source", f.source, "--kind", "customers", "--db", dbFile, f.file], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`import of ${f.file} exited ${code}`))));
    });
  }
  return (performance.now() - started) / 1000;
}

const secret = randomBytes(32).toString("base64url");
const server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
  env: { ...process.env, DATABASE_PATH: dbFile, AUTH_SECRET: secret, AUTH_TRUST_HOST: "true", NODE_ENV: "production" },
  stdio: ["ignore", "ignore", "inherit"],
});
const idle: Record<string, ReturnType<typeof stats>> = {};
try {
  await waitForServer(server);
  const cookies = {
    associate: await signIn("associate@demo.clientele", "demo-associate"),
    manager: await signIn("manager@demo.clientele", "demo-manager"),
    hq: await signIn("hq@demo.clientele", "demo-hq"),
  };
  const actionHeaders = (id: string, cookie: string) => ({ "next-action": id, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", cookie });
  const lookupId = actionId("lookupCustomerAction");
  const pingId = actionId("pingAction");
  // Enter's lookup, answering where the profile is. The tablet's Enter asks for a redirect instead,
  // whose response carries the profile page: timed on its own below and, end to end, in Chromium.
  const lookup = (form: "stored" | "typed") => (i: number) =>
    request("POST", "/", actionHeaders(lookupId, cookies.associate), JSON.stringify([{ query: lookupSample[i % lookupSample.length][form], submitted: true }]));
  const ping = () => request("POST", "/", actionHeaders(pingId, cookies.associate), "[]");
  const found = (r: Reply) => r.status === 200 && /"kind":"(open|matches)"/.test(r.body);
  const ok = (r: Reply) => r.status === 200;
  const shown = (r: Reply) => r.status === 200 && r.body.includes("Purchase history");

  type Role = keyof typeof cookies;
  /** The page as each role reaches it: an associate through a lookup's grant, a manager and head office directly. */
  const grantOf = (p: SampledPerson) => issueProfileGrant(secret, associate.id, p.id, (p.phone ? "phone" : "email") satisfies GrantVia);
  const pageOf = (role: Role, p: SampledPerson) =>
    request("GET", role === "associate" ? `/customers/${p.id}?g=${grantOf(p)}` : `/customers/${p.id}`, { cookie: cookies[role] });
  // The profile page asks for its suggestions once it is on screen: timed apart, for the same customers.
  const suggestId = actionId("loadSuggestionsAction");
  const suggestionsOf = (p: SampledPerson) =>
    request("POST", `/customers/${p.id}`, actionHeaders(suggestId, cookies.associate), JSON.stringify([{ profileId: p.id, grant: grantOf(p) }]));
  const suggested = (r: Reply) => r.status === 200 && r.body.includes('"ok":true');

  console.log("Over HTTP against next start (concurrency 1 unless said):");
  await timed(300, lookup("stored"), found, 2);
  idle.ping = await load("no-op server action", requests, ping, ok);
  idle.lookupStored = await load("lookup server action, stored form", requests, lookup("stored"), found);
  idle.lookup = await load("lookup server action, typed form", requests, lookup("typed"), found);
  await load("lookup server action, typed form", requests, lookup("typed"), found, 4);

  await timed(warmUp, (i) => pageOf("hq", warmUpPool[i]), shown);
  for (const role of ["associate", "manager", "hq"] as const) {
    const first = role === "manager" ? take(requests, managerPool) : take(requests);
    idle[`page-${role}`] = await load(`profile page, ${role}, first view`, first.length, (i) => pageOf(role, first[i]), shown);
    if (role === "associate")
      await load(
        "suggestions for the profile (its own request, after the page), associate, first view",
        first.length,
        (i) => suggestionsOf(first[i]),
        suggested,
      );
    const warm = first.slice(0, 20);
    await load(`profile page, ${role}, warm`, requests, (i) => pageOf(role, warm[i % warm.length]), shown);
  }

  // Reads while an import writes to the same store.
  console.log(`Importing ${importRecords} customer records into the same store while timing lookups and first views…`);
  const during = { lookup: [] as number[], page: [] as number[], failures: 0 };
  const duringPeople = take(requests * 3);
  let importDone = false;
  let importSeconds = 0;
  const importing = runImport().then((s) => {
    importDone = true;
    importSeconds = s;
  });
  await new Promise((r) => setTimeout(r, 3000));
  for (let i = 0; !importDone && i < duringPeople.length; i++) {
    for (const [kind, call, check] of [
      ["lookup", () => lookup("typed")(i), found],
      ["page", () => pageOf("associate", duringPeople[i]), shown],
    ] as const) {
      const t = process.hrtime.bigint();
      const r = await call();
      if (importDone) break;
      during[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
      if (!check(r)) during.failures++;
    }
  }
  await importing;
  const ratio = (s: number[], base: ReturnType<typeof stats>) => `p95 ${(stats(s).p95 / base.p95).toFixed(2)}× idle`;
  record(
    "lookup server action, typed form, during the import",
    during.lookup,
    `${ratio(during.lookup, idle.lookup)}${during.failures ? `, ${during.failures} FAILED` : ""}`,
  );
  record("profile page, associate, first view, during the import", during.page, ratio(during.page, idle["page-associate"]));
  rows.push([
    `import of ${importRecords} customer records meanwhile`,
    `${importSeconds.toFixed(0)} s`,
    "",
    "",
    `${Math.round(importRecords / importSeconds)} records/s`,
  ]);

  // What the assistant feels.
  if (browserCustomers > 0) {
    console.log(`Chromium: ${browserCustomers} customers, phone or email as spoken, Enter, until name and purchases show…`);
    // Identifiers that open one profile (after the import, which may have brought someone sharing a phone).
    const reader = openDatabase(dbFile, { readonly: true });
    const owners = identifierOwners(reader);
    const opensOne = (type: "phone" | "email", value: string | undefined) => value !== undefined && owners(type, value) === 1;
    const spoken: SpokenCustomer[] = take(browserOpened * 2).flatMap((p, i) => {
      const type = opensOne("phone", p.phone) && (i % 2 === 0 || !opensOne("email", p.email)) ? "phone" : opensOne("email", p.email) ? "email" : null;
      return type ? [{ name: p.name, typed: asTyped(type, p[type]!, i) }] : [];
    });
    if (spoken.length < browserOpened) throw new Error(`the store has too few customers with a phone or email of their own for ${browserOpened} first views`);
    closeDatabase(reader);
    // The floor in turns with the app, batch by batch, on the same machine and driver: load that comes
    // and goes (other processes, the page cache) falls on both alike.
    console.log(`Chromium: the bare Next.js floor (scripts/bench-floor) in turns with the app, ${BROWSER_BATCH} customers a turn…`);
    const bare = await startFloor();
    const felt: FeltTiming[] = [];
    const floor: FeltTiming[] = [];
    try {
      for (let b = 0; b < browserBatches; b++) {
        const n = Math.min(BROWSER_BATCH, browserCustomers - b * BROWSER_BATCH) + 1;
        const app = async () => {
          const timings = await timeLookupToProfile(`http://127.0.0.1:${port}`, spoken.slice(b * (BROWSER_BATCH + 1), b * (BROWSER_BATCH + 1) + n), {
            login: { email: "associate@demo.clientele", password: "demo-associate" },
            suggestions: true,
            profileInLookup: true,
          });
          felt.push(...timings.slice(1));
        };
        const bareApp = async () => {
          const timings = await timeLookupToProfile(bare.url, bare.customers(b * (BROWSER_BATCH + 1), n), { suggestions: false, profileInLookup: false });
          floor.push(...timings.slice(1));
        };
        for (const turn of b % 2 === 0 ? [app, bareApp] : [bareApp, app]) await turn();
      }
    } finally {
      bare.stop();
    }
    const floorVisible = stats(floor.map((f) => f.visible));
    const s = record(
      "assistant: Enter to name + purchases on screen (Chromium 1024×768)",
      felt.map((f) => f.visible),
    );
    rows[rows.length - 1][4] += `; p90 ${fmt(s.p90)}, ${(s.p90 / floorVisible.p90).toFixed(2)}× the floor's p90 (target ≤ 1.5×)`;
    // Where the time goes: the round trips to the profile's first bytes, and the browser's rendering after them.
    record(
      "  of which Enter to the profile's first bytes",
      felt.map((f) => f.received),
      "in the lookup's own response (a redirect)",
    );
    record(
      "  of which the profile's first bytes to name + purchases on screen",
      felt.map((f) => f.visible - f.received),
    );
    // The driver checks the page at every frame, then hears back; the page's own clock leaves that out.
    const inPage = record(
      "  in the page: Enter to the first frame with name + purchases",
      felt.map((f) => f.painted),
    );
    rows[rows.length - 1][4] += `; p90 ${fmt(inPage.p90)}`;
    record(
      "floor, bare Next.js 16 + better-sqlite3: Enter to name + purchases on screen",
      floor.map((f) => f.visible),
      "server action lookup, router.push, a server-rendered profile with 50 order lines; same driver, in turns with the app",
    );
    record(
      "  floor: Enter to the profile's first bytes",
      floor.map((f) => f.received),
      "the lookup's answer, then the router's fetch",
    );
    record(
      "  floor in the page: Enter to the first frame with name + purchases",
      floor.map((f) => f.painted),
    );
    record(
      "assistant: Enter to suggestions on screen",
      felt.flatMap((f) => f.suggested ?? []),
    );
  }

  const html = (await request("GET", "/", { cookie: cookies.associate })).body;
  // Modern browsers skip the noModule polyfills, so they are not part of what a tablet loads.
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].filter((m) => !/nomodule/i.test(m[1])).flatMap((m) => /src="([^"]+\.js)"/.exec(m[1])?.[1] ?? []);
  let gzipped = 0;
  for (const src of new Set(scripts)) gzipped += gzipSync((await request("GET", src, {})).body).length;
  rows.push(["lookup page first-load JS", `${(gzipped / 1024).toFixed(0)} kB gzipped`, "", "", `${new Set(scripts).size} scripts`]);
  const dbBytes = databaseFiles(cached).reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  rows.push([
    "database size (before the import)",
    `${(dbBytes / 1024 ** 3).toFixed(2)} GiB`,
    "",
    "",
    `${counts.profiles} profiles, ${counts.orderLines} order lines`,
  ]);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  rows.push(["peak memory", `${hwm.toFixed(0)} MB`, "", "", `next start; bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
} finally {
  server.kill("SIGTERM");
  agent.destroy();
  fs.rmSync(importDir, { recursive: true, force: true });
}

console.log(
  `\n${counts.profiles} profiles (npm run generate -- --profiles ${profiles}), ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);
console.log("| measure | p50 | p95 | p99 | notes |\n| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
