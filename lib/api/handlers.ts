import { z } from "zod";
import { type Db, rolledBack } from "@/db/client";
import type { ApiKeyScope } from "@/db/schema";
import { searchedHash } from "@/lib/audit/audit";
import { writeAuditSoon } from "@/lib/audit/deferred";
import { lookupCustomer } from "@/lib/customers/lookup";
import { createIngestContext } from "@/lib/identity/ingest";
import { detectLookupQuery, unusableValues } from "@/lib/identity/normalize";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import type { ItemOf } from "@/lib/ingest/apply";
import { ingestEntries } from "@/lib/ingest/batch";
import { settleJoins } from "@/lib/identity/duplicates";
import { MAX_JSON_DEPTH, nestedTooDeep } from "@/lib/validate";
import { type FieldError, INGEST_KINDS, type IngestKind, STRICT_ITEM_SCHEMAS, visible } from "@/lib/ingest/schemas";
import { type ApiCaller, authenticateApiKey } from "./keys";
import { RouteError, jsonResponse, routeHandler } from "./route-handler";
import { RateLimiter } from "./rate-limit";

/**
 * The /api/v1 endpoints as plain functions from a web Request to a Response, so route handlers stay
 * one line and the whole contract is tested without a server. Every caller mistake is a 4xx JSON
 * body {error: {code, message, fields?}}; only our own faults are 500s.
 */

export const MAX_ITEMS = 1000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** A source may burst 20 requests and then send 10 a second: ten thousand records a second in full batches. */
const limiter = new RateLimiter(20, 10);

function authorise(db: Db, request: Request, scope: ApiKeyScope): ApiCaller {
  const caller = authenticateApiKey(db, request.headers.get("authorization"), scope);
  const wait = limiter.take(caller.hash);
  if (wait !== null)
    throw new RouteError(429, "rate_limited", `Too many requests for this key; retry in ${wait} s.`, undefined, { "Retry-After": String(wait) });
  return caller;
}

const tooLarge = () =>
  new RouteError(413, "payload_too_large", `A request body may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB and hold at most ${MAX_ITEMS} items.`);

/** The body as text, refusing to buffer more than MAX_BODY_BYTES whatever Content-Length claims. */
async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  // A byte-order mark is how some Windows tools start a UTF-8 file; it is not part of the JSON.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

const batchSchema = z.strictObject({ items: z.array(z.unknown(), { error: '"items" must be an array' }).min(1, '"items" is empty') });

/** ?dryRun=true: the batch is written and rolled back, so the answer says what it would change. */
const dryRunFlag = z.enum(["true", "false"]);

export type ItemResult = {
  index: number;
  status: "inserted" | "updated" | "unchanged" | "rejected";
  errors?: FieldError[];
  /** Values written but of no use (an email that is not one): the item itself went in. */
  warnings?: FieldError[];
};

/** POST /api/v1/{kind}: {items: [...]} of up to MAX_ITEMS, each written or rejected on its own. */
export function handleIngest(db: Db, request: Request, kind: string): Promise<Response> {
  return routeHandler(async () => {
    if (!(INGEST_KINDS as readonly string[]).includes(kind)) {
      throw new RouteError(404, "not_found", `Unknown kind "${kind}": POST to one of ${INGEST_KINDS.map((k) => `/api/v1/${k}`).join(", ")}.`);
    }
    const caller = authorise(db, request, "ingest");
    const flag = dryRunFlag.safeParse(new URL(request.url).searchParams.get("dryRun") ?? "false");
    if (!flag.success) throw new RouteError(400, "invalid_input", "dryRun must be true or false.", [{ field: "dryRun", message: "must be true or false" }]);
    const dryRun = flag.data === "true";
    const text = await readBody(request);
    if (nestedTooDeep(text)) throw new RouteError(400, "invalid_json", `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RouteError(400, "invalid_json", "The request body is not valid JSON.");
    }
    const parsed = batchSchema.safeParse(body);
    if (!parsed.success) {
      throw new RouteError(
        400,
        "invalid_input",
        'Send a JSON object {"items": [...]} with at least one item.',
        parsed.error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message })),
      );
    }
    if (parsed.data.items.length > MAX_ITEMS) throw tooLarge();
    const k = kind as IngestKind;
    const ctx = createIngestContext(db);
    const ingest = () => {
      const batch = ingestEntries(
        ctx,
        k,
        caller.source,
        STRICT_ITEM_SCHEMAS[k] as z.ZodType<ItemOf[typeof k]>,
        parsed.data.items.map((raw) => ({ raw })),
      );
      return { ...batch, settled: settleJoins(ctx) };
    };
    const { results, settled } = dryRun ? rolledBack(db, ingest) : ingest();
    // An order written without its bad lines says which were left out.
    const settings = identitySettingsFor(db);
    const unusable = (index: number) => {
      if (k !== "customers") return [];
      const item = parsed.data.items[index] as Record<string, unknown>;
      // As the fields read them: an email sent with a zero-width space in it was used without it.
      const asText = (v: unknown) => {
        const t = visible(v);
        return typeof t === "string" ? t : null;
      };
      return unusableValues(
        { email: asText(item.email), phone: asText(item.phone), loyaltyId: asText(item.loyaltyId), birthDate: asText(item.birthDate) },
        settings,
      );
    };
    const items: ItemResult[] = results.map((r, index) => {
      if (!r.ok) return { index, status: "rejected", errors: r.errors };
      const stale = r.outcome.staleAgainst;
      const warnings = [
        ...unusable(index),
        ...(stale !== undefined
          ? [{ field: "updatedAt", message: `older than the version already held (${new Date(stale).toISOString()}): not applied` }]
          : []),
      ];
      return {
        index,
        status: r.outcome.status,
        ...(r.outcome.rejectedLines ? { errors: r.outcome.rejectedLines } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
    });
    const counts = { inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (const item of items) counts[item.status]++;
    // Groups of records split off at the end of the batch (settleJoins) are customers of their own, with their pair put to review.
    const linking = { profilesCreated: settled.split, merges: 0, reviewItems: settled.queued };
    for (const r of results) {
      if (!r.ok) continue;
      if (r.outcome.createdProfile) linking.profilesCreated++;
      linking.merges += r.outcome.merges ?? 0;
      linking.reviewItems += r.outcome.reviewItems ?? 0;
    }
    return jsonResponse({ kind, source: caller.source, dryRun, ...counts, ...(k === "customers" ? linking : {}), results: items });
  });
}

/** GET /api/v1/customers/lookup?q=<loyalty ID | phone | email>: a minimal profile for a till, audited. */
/** `auditKey` keys the hash of the searched value kept in the audit log (see searchedHash). */
export function handleLookup(db: Db, request: Request, auditKey: string): Promise<Response> {
  return routeHandler(() => {
    const caller = authorise(db, request, "lookup");
    const q = new URL(request.url).searchParams.get("q") ?? "";
    const settings = identitySettingsFor(db);
    const query = detectLookupQuery(q, settings);
    if (query.kind !== "identifiers") {
      throw new RouteError(
        400,
        "invalid_input",
        query.kind === "invalid" ? query.reason : "Look customers up by loyalty ID, phone number or email, not by name.",
      );
    }
    const result = lookupCustomer(db, settings, q);
    const candidates = result.kind === "matches" ? result.candidates : [];
    const customers = candidates.map((c) => ({
      id: c.profileId,
      name: c.name,
      tier: c.tier,
      maskedEmail: c.maskedEmail,
      maskedPhone: c.maskedPhone,
      lastPurchaseAt: c.lastPurchaseAt === null ? null : new Date(c.lastPurchaseAt).toISOString(),
    }));
    writeAuditSoon(db, {
      staffId: null,
      storeId: null,
      action: "api.lookup",
      profileId: customers.length === 1 ? customers[0].id : null,
      detail: { apiKeyId: caller.keyId, source: caller.source, searchedHash: searchedHash(auditKey, query.searched), profileIds: customers.map((c) => c.id) },
    });
    return jsonResponse({ searched: query.searched, customers });
  });
}
