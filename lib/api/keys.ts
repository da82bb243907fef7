import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type ApiKeyScope, apiKeys, sources } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import { DomainError } from "@/lib/errors";

export type { ApiKeyScope };

const KEY_PREFIX = "clk_";
/** Shown in lists: "clk_" and eight characters of the random part. */
const DISPLAY_LENGTH = KEY_PREFIX.length + 8;
/** last_used_at is a hint for head office, not a log: written at most once a minute per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export type CreatedApiKey = { id: number; key: string; prefix: string };

/** A new key of 32 random bytes for a source; only its hash is stored, so this is the one time it is seen. */
export function createApiKey(db: Db, input: { sourceId: number; name: string; scope: ApiKeyScope; staffId: number }, now = Date.now()): CreatedApiKey {
  const source = db.select({ name: sources.name }).from(sources).where(eq(sources.id, input.sourceId)).get();
  if (!source) throw new DomainError("unknown_source");
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const prefix = key.slice(0, DISPLAY_LENGTH);
  const { id } = db
    .insert(apiKeys)
    .values({ sourceId: input.sourceId, name: input.name, prefix, hash: hashApiKey(key), scope: input.scope, createdBy: input.staffId, createdAt: now })
    .returning({ id: apiKeys.id })
    .get();
  writeAudit(
    db,
    {
      staffId: input.staffId,
      storeId: null,
      action: "api_key.create",
      detail: { apiKeyId: id, source: source.name, name: input.name, scope: input.scope, prefix },
    },
    now,
  );
  return { id, key, prefix };
}

export function revokeApiKey(db: Db, input: { id: number; staffId: number }, now = Date.now()): void {
  const key = db.select().from(apiKeys).where(eq(apiKeys.id, input.id)).get();
  if (!key) throw new DomainError("not_found", "No such API key.");
  if (key.revokedAt !== null) return;
  db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, input.id)).run();
  writeAudit(db, { staffId: input.staffId, storeId: null, action: "api_key.revoke", detail: { apiKeyId: key.id, name: key.name, prefix: key.prefix } }, now);
}

export type ApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  sourceName: string;
  sourceLabel: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
};

export function listApiKeys(db: Db): ApiKeyRow[] {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scope: apiKeys.scope,
      sourceName: sources.name,
      sourceLabel: sources.label,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .innerJoin(sources, eq(sources.id, apiKeys.sourceId))
    .orderBy(asc(sources.label), asc(apiKeys.revokedAt), asc(apiKeys.createdAt))
    .all();
}

/** `hash` names the key everywhere it must not be shown (rate-limit buckets). */
export type ApiCaller = { keyId: number; hash: string; source: string; scope: ApiKeyScope };

const statementsFor = perConnection(prepare);

function prepare(db: Db) {
  return {
    byHash: db
      .select({ id: apiKeys.id, scope: apiKeys.scope, source: sources.name, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .innerJoin(sources, eq(sources.id, apiKeys.sourceId))
      .where(and(eq(apiKeys.hash, sql.placeholder("hash")), isNull(apiKeys.revokedAt)))
      .prepare(),
    touch: db
      .update(apiKeys)
      .set({ lastUsedAt: sql`${sql.placeholder("now")}` })
      .where(eq(apiKeys.id, sql.placeholder("id")))
      .prepare(),
  };
}

/**
 * The caller behind an `Authorization: Bearer <key>` header, allowed to act in `scope`.
 * Missing, unknown and revoked keys are unauthenticated (401); a key of another scope is forbidden (403).
 */
export function authenticateApiKey(db: Db, authorization: string | null, scope: ApiKeyScope, now = Date.now()): ApiCaller {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw new DomainError("unauthenticated", "Send the source's API key as Authorization: Bearer <key>.");
  const s = statementsFor(db);
  const hash = hashApiKey(match[1]);
  const key = s.byHash.get({ hash });
  if (!key) throw new DomainError("unauthenticated", "This API key is not valid or has been revoked.");
  if (key.scope !== scope) throw new DomainError("forbidden", `This API key is for ${key.scope}, not ${scope}.`);
  if (key.lastUsedAt === null || now - key.lastUsedAt >= LAST_USED_RESOLUTION_MS) s.touch.run({ id: key.id, now });
  return { keyId: key.id, hash, source: key.source, scope: key.scope };
}
