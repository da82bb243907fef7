import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { type Db, inTransaction, perConnection } from "@/db/client";
import { SUPPRESSION_KINDS, erasureSuppressions, erasures, settings } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import { DomainError } from "@/lib/errors";
import { type Identifier, type IdentitySettings, detectLookupQuery } from "@/lib/identity/normalize";

/**
 * After an erasure the chain's other systems may still hold the customer and send them again. We
 * keep salted SHA-256 hashes of the identifiers the person was known by, never the identifiers:
 * ingest refuses a record carrying one. The salt is per installation, so hashes cannot be matched
 * against another database's; it does not stop someone holding this database from testing guesses.
 */
const SALT_KEY = "privacy.suppressionSalt";
const saltFor = new WeakMap<Db, string>();

/**
 * Ingest asks these for every record, so they are prepared once per connection. The salt is looked
 * up again until one exists: another process (the app) may make the first erasure mid-import.
 */
const checks = perConnection(prepareChecks);

function prepareChecks(db: Db) {
  const p = sql.placeholder;
  return {
    salt: db.select({ value: settings.value }).from(settings).where(eq(settings.key, SALT_KEY)).prepare(),
    suppressed: db
      .select({ one: sql`1` })
      .from(erasureSuppressions)
      .where(eq(erasureSuppressions.hash, p("hash")))
      .prepare(),
    erased: db
      .select({ one: sql`1` })
      .from(erasures)
      .where(eq(erasures.profileId, p("profileId")))
      .prepare(),
  };
}

function readSalt(db: Db): string | null {
  const cached = saltFor.get(db);
  if (cached) return cached;
  const row = checks(db).salt.get();
  if (typeof row?.value !== "string") return null;
  saltFor.set(db, row.value);
  return row.value;
}

function ensureSalt(db: Db): string {
  const existing = readSalt(db);
  if (existing) return existing;
  const salt = randomBytes(32).toString("base64url");
  db.insert(settings).values({ key: SALT_KEY, value: salt, updatedAt: Date.now() }).onConflictDoNothing().run();
  return readSalt(db)!;
}

/** Whether any identifier can be suppressed yet: the salt comes with the first erasure. */
export function suppressionInForce(db: Db): boolean {
  return readSalt(db) !== null;
}

function hashOf(salt: string, id: Identifier): string {
  return createHash("sha256").update(`${salt}:${id.type}:${id.value}`).digest("base64url");
}

/** Records the identifiers of an erased customer; returns how many were new to the list. */
export function suppressIdentifiers(db: Db, ids: readonly Identifier[], now = Date.now()): number {
  if (ids.length === 0) return 0;
  const salt = ensureSalt(db);
  const rows = ids
    .filter((id) => (SUPPRESSION_KINDS as readonly string[]).includes(id.type))
    .map((id) => ({ hash: hashOf(salt, id), kind: id.type, createdAt: now }));
  return db.insert(erasureSuppressions).values(rows).onConflictDoNothing().run().changes;
}

/** Whether any of these normalised identifiers belonged to an erased customer. No erasure yet: no salt, nothing to check. */
export function isSuppressed(db: Db, ids: readonly Identifier[]): boolean {
  if (ids.length === 0) return false;
  const salt = readSalt(db);
  if (!salt) return false;
  const { suppressed } = checks(db);
  return ids.some((id) => suppressed.get({ hash: hashOf(salt, id) }) !== undefined);
}

export function isErased(db: Db, profileId: number): boolean {
  return checks(db).erased.get({ profileId }) !== undefined;
}

export type LiftResult = { searched: string; lifted: number };

/**
 * A customer erased at their request who comes back and asks to be known again (re-joins the
 * loyalty programme with the same email): head office lifts the refusal for that one identifier.
 * Audited by kind only; the identifier itself is not written anywhere.
 */
export function liftSuppression(
  db: Db,
  input: string,
  settings: IdentitySettings,
  by: { staffId: number; storeId: number | null },
  now = Date.now(),
): LiftResult {
  const query = detectLookupQuery(input, settings);
  if (query.kind !== "identifiers") {
    throw new DomainError(
      "invalid_input",
      query.kind === "invalid" ? query.reason : "Give the email, phone number or loyalty ID the customer wants to use again, not a name.",
      {
        identifier: ["Not an email, phone number or loyalty ID."],
      },
    );
  }
  return inTransaction(db, () => {
    const salt = readSalt(db);
    let lifted = 0;
    if (salt)
      for (const id of query.candidates)
        lifted += db
          .delete(erasureSuppressions)
          .where(eq(erasureSuppressions.hash, hashOf(salt, id)))
          .run().changes;
    writeAudit(
      db,
      { staffId: by.staffId, storeId: by.storeId, action: "privacy.lift_suppression", detail: { kinds: query.candidates.map((c) => c.type), lifted } },
      now,
    );
    return { searched: query.searched, lifted };
  });
}
