/**
 * `npm run generate -- --profiles N [--seed S] [--db file] [--force]`: loads the demo chain with N
 * generated people into a new database file, through the same ingest path as real imports.
 * package.json runs it (and import, bench:ingest) with a 64 MB young generation: a bulk load makes
 * millions of short-lived objects, and V8's default 16 MB promotes many of them to be collected
 * again later (100k people: 34 CPU-s against 40).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { DEFAULT_DATABASE_PATH, openDatabase } from "@/db/client";
import { analyse, closeDatabase, finishBulkLoad, tuneForBulkLoad } from "@/db/maintenance";
import { DEFAULT_SEED, type SeedSummary, isSeeded, seedDemo } from "@/lib/demo/demo";

const USAGE =
  "Usage: tsx scripts/generate.ts --profiles N [--seed S] [--db data/clientele.db] [--force] [--truth people.csv] [--path bulk|incremental]\n" +
  "  --path: bulk (the default) resolves in memory and writes in one transaction, indexes after the rows; incremental ingests record by record. Same file either way.";

type Options = { profiles: number; seed: number; file: string; force: boolean; truth: string | null; path: "bulk" | "incremental" };

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positiveInteger(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required.`);
    return fallback;
  }
  const n = Number(value.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} must be a whole number of at least 1, not "${value}".`);
  return n;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        profiles: { type: "string" },
        seed: { type: "string" },
        db: { type: "string" },
        force: { type: "boolean" },
        truth: { type: "string" },
        path: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    profiles: positiveInteger("profiles", values.profiles),
    seed: positiveInteger("seed", values.seed, DEFAULT_SEED),
    file: values.db ?? DEFAULT_DATABASE_PATH,
    force: values.force ?? false,
    truth: values.truth ?? null,
    path: pathOf(values.path),
  };
}

function pathOf(value: string | undefined): "bulk" | "incremental" {
  if (value === undefined || value === "bulk" || value === "incremental") return value ?? "bulk";
  fail(`--path must be bulk or incremental, not "${value}".`);
}

const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`];

/** What a bulk load holds in memory per person (their records, identifiers and blocks), with room to spare. */
const BULK_BYTES_PER_PERSON = 8_000;

/**
 * A bulk load of a million people holds gigabytes, above Node's default heap: the generator runs
 * itself again with a heap that fits, rather than failing half-way through.
 */
function withHeapFor(options: Options): void {
  if (options.path !== "bulk" || process.env.CLIENTELE_GENERATE_HEAP) return;
  const neededMiB = Math.ceil((options.profiles * BULK_BYTES_PER_PERSON) / 2 ** 20) + 1024;
  if (v8.getHeapStatistics().heap_size_limit / 2 ** 20 >= neededMiB) return;
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${neededMiB}`, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, CLIENTELE_GENERATE_HEAP: String(neededMiB) },
  });
  process.exit(child.status ?? 1);
}

function main(): void {
  const options = parseOptions();
  withHeapFor(options);
  if (options.force) for (const f of databaseFiles(options.file)) fs.rmSync(f, { force: true });
  const db = openDatabase(options.file);
  if (isSeeded(db)) {
    closeDatabase(db);
    fail(`${options.file} already holds a chain. Use --force to delete it and generate a new one.`);
  }
  tuneForBulkLoad(db);
  process.stdout.write(`Generating ${fmt(options.profiles)} people (seed ${options.seed}) into ${options.file}, ${options.path} load\n`);
  const progress = new Progress();
  const phases = new Phases();
  phases.start("chain");
  // Who is who, beside the store and never in it: the labels eval:identity scores the profiles against.
  const truth = options.truth ? new LineFile(options.truth) : null;
  truth?.write("source,sourceCustomerId,person\n");
  const onPerson = (person: number, records: { source: string; sourceCustomerId: string }[]) => {
    if (truth !== null) for (const r of records) truth.write(`${r.source},${r.sourceCustomerId},${person}\n`);
  };
  const summary = seedDemo(db, {
    profiles: options.profiles,
    seed: options.seed,
    path: options.path,
    drawInWorker: true,
    onProgress: (done, total) => progress.update(done, total),
    onPerson,
    onPhase: (name) => phases.start(name),
  });
  truth?.close();
  progress.finish();
  phases.start("statistics");
  analyse(db);
  phases.start("close");
  finishBulkLoad(db);
  closeDatabase(db);
  phases.start(null);
  report(options, summary, phases);
}

/** A file written a megabyte at a time: one write per person cost 1.4 s of 200,000 people's load. */
class LineFile {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }

  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    fs.writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.size = 0;
  }
}

/** Wall and CPU seconds of each step, to see where a load's time goes. */
class Phases {
  readonly done: { name: string; wall: number; cpu: number }[] = [];
  private current: { name: string; wall: number; cpu: number } | null = null;

  start(name: string | null): void {
    const wall = performance.now();
    const { user, system } = process.cpuUsage();
    const cpu = (user + system) / 1000;
    if (this.current) this.done.push({ name: this.current.name, wall: wall - this.current.wall, cpu: cpu - this.current.cpu });
    this.current = name === null ? null : { name, wall, cpu };
  }
}

function report(options: Options, s: SeedSummary, phases: Phases): void {
  const seconds = s.elapsedMs / 1000;
  const size = databaseFiles(options.file).reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  const rows: [string, string][] = [
    ["load", options.path],
    ["people", fmt(s.people)],
    ["profiles", `${fmt(s.profiles)} (${fmt(s.merges)} merges, ${fmt(s.splits)} split off after the load)`],
    ["source records", fmt(s.sourceRecords)],
    ["orders", fmt(s.orders)],
    ["order lines", fmt(s.orderLines)],
    ["interactions", fmt(s.interactions)],
    ["products", fmt(s.products)],
    ["elapsed", `${seconds.toFixed(1)} s`],
    ["rate", `${fmt(s.people / seconds)} people/s, ${fmt(s.orders / seconds)} orders/s, ${fmt(s.orderLines / seconds)} lines/s`],
    ["database size", megabytes(size)],
    ["peak RSS", megabytes(process.resourceUsage().maxRSS * 1024)],
    ...phases.done.map(({ name, wall, cpu }): [string, string] => [`  ${name}`, `${(wall / 1000).toFixed(1)} s, ${(cpu / 1000).toFixed(1)} CPU-s`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-GB");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A bar with rate and ETA on a terminal; a plain line every few seconds in logs and CI. */
class Progress {
  private readonly started = performance.now();
  private lastPrinted = 0;
  private readonly tty = process.stdout.isTTY === true;

  update(done: number, total: number): void {
    const now = performance.now();
    if (now - this.lastPrinted < (this.tty ? 100 : 5000) && done < total) return;
    this.lastPrinted = now;
    const rate = done / ((now - this.started) / 1000);
    const text = `${fmt(done)}/${fmt(total)} people  ${fmt(rate)}/s  ETA ${duration((total - done) / rate)}`;
    if (this.tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stdout.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}%  ${text}\x1b[K`);
    } else {
      process.stdout.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.tty) process.stdout.write("\n");
  }
}

main();
