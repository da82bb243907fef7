import fs from "node:fs";
import path from "node:path";
import { type Db, databaseFile, isOpen, tryInTransaction } from "@/db/client";
import { type AuditEntry, writeAudit } from "./audit";

/**
 * Audit rows of reads (a profile viewed, a lookup) written after the answer: a tablet's read must
 * not queue behind an import's write lock to record that it happened. Each entry is first appended
 * to a spool file beside the database, before the answer goes out, which survives the process as a
 * commit at synchronous=NORMAL does; it then moves into audit_log in one transaction as soon as the
 * lock is free, without ever waiting for it. A spool left by a process that stopped is moved by the
 * next one to write. Writes that change data keep writing their audit row in their own transaction.
 */

type Pending = { entry: AuditEntry; at: number };
type Spool = { file: string; fd: number; pending: Pending[]; timer: NodeJS.Timeout | null; retryMs: number };

const RETRY_FIRST_MS = 20;
const RETRY_MAX_MS = 1000;
const spools = new WeakMap<Db, Spool>();

const spoolPrefix = (dbFile: string) => `${path.basename(dbFile)}.audit-spool-`;

/** Records the audit row now and writes it to the database once nothing else holds the write lock. */
export function writeAuditSoon(db: Db, entry: AuditEntry, at: number = Date.now()): void {
  const spool = spoolOf(db);
  if (!spool) return writeAudit(db, entry, at);
  fs.writeSync(spool.fd, `${JSON.stringify({ entry, at })}\n`);
  spool.pending.push({ entry, at });
  schedule(db, spool, 0);
}

/** Moves whatever is pending into audit_log now, waiting for the lock if it must (tests, shutdown). */
export function flushAuditSoon(db: Db): void {
  const spool = spools.get(db);
  if (spool) moveIntoLog(db, spool, true);
}

function spoolOf(db: Db): Spool | null {
  const dbFile = databaseFile(db);
  if (!dbFile) return null;
  let spool = spools.get(db);
  if (!spool) {
    recoverOrphans(db, dbFile);
    const file = path.join(path.dirname(dbFile), `${spoolPrefix(dbFile)}${process.pid}.jsonl`);
    spool = { file, fd: fs.openSync(file, "a"), pending: [], timer: null, retryMs: RETRY_FIRST_MS };
    spools.set(db, spool);
  }
  return spool;
}

function schedule(db: Db, spool: Spool, delayMs: number): void {
  if (spool.timer) return;
  spool.timer = setTimeout(() => {
    spool.timer = null;
    if (!isOpen(db)) return;
    if (moveIntoLog(db, spool, false)) spool.retryMs = RETRY_FIRST_MS;
    else {
      spool.retryMs = Math.min(spool.retryMs * 2, RETRY_MAX_MS);
      schedule(db, spool, spool.retryMs);
    }
  }, delayMs);
  spool.timer.unref();
}

/** One transaction for every pending row; false when the lock was taken and `wait` was not asked for. */
function moveIntoLog(db: Db, spool: Spool, wait: boolean): boolean {
  if (spool.pending.length === 0) return true;
  if (!insertAll(db, spool.pending, wait)) return false;
  spool.pending = [];
  fs.ftruncateSync(spool.fd, 0);
  return true;
}

function insertAll(db: Db, rows: readonly Pending[], wait: boolean): boolean {
  return tryInTransaction(
    db,
    () => {
      for (const r of rows) writeAudit(db, r.entry, r.at);
    },
    wait,
  );
}

/** Spools of processes that are gone: their rows were never moved. */
function recoverOrphans(db: Db, dbFile: string): void {
  const dir = path.dirname(dbFile);
  const prefix = spoolPrefix(dbFile);
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(name.startsWith(prefix) && name.endsWith(".jsonl") ? name.slice(prefix.length, -".jsonl".length) : NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const file = path.join(dir, name);
    insertAll(db, fs.readFileSync(file, "utf8").split("\n").flatMap(parseLine), true);
    fs.rmSync(file);
  }
}

/** A line cut short by the process dying was never answered for: there is no view to record. */
function parseLine(line: string): Pending[] {
  try {
    return line.trim() === "" ? [] : [JSON.parse(line) as Pending];
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}
