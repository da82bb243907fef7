import { and, eq, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type IdentifierType, identifiers, profiles, sourceCustomers, sources } from "@/db/schema";
import { type IdentitySettings, detectLookupQuery, maskEmail, maskPhone } from "@/lib/identity/normalize";
import { MAX_CANDIDATES, displayName } from "./display";
import { type NameFilters, searchProfilesByName } from "./name-search";

/** Why a row is on the list: "phone, from Loyalty programme", or which parts of the name (and filters) matched. */
export type MatchReason = { type: IdentifierType | "name"; source: string | null; parts?: string[] };

export type LookupCandidate = {
  profileId: number;
  name: string;
  maskedEmail: string | null;
  maskedPhone: string | null;
  city: string | null;
  tier: string | null;
  lastPurchaseAt: number | null;
  matchedOn: MatchReason[];
};

export type LookupResult =
  | { kind: "invalid"; reason: string }
  | { kind: "none"; searched: string; by: "identifier" | "name" }
  | { kind: "matches"; searched: string; by: "identifier" | "name"; candidates: LookupCandidate[]; total: number; capped: boolean };

export type LookupOptions = { filters?: NameFilters; limit?: number };

/** The lookup is the hottest path in the product: its two queries are prepared once per connection. */
const preparedFor = perConnection(prepareLookup);

function prepareLookup(db: Db) {
  return {
    owners: db
      .selectDistinct({ profileId: identifiers.profileId, type: identifiers.type, source: sources.label })
      .from(identifiers)
      .innerJoin(sourceCustomers, eq(sourceCustomers.id, identifiers.sourceRecordId))
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(and(eq(identifiers.type, sql.placeholder("type")), eq(identifiers.value, sql.placeholder("value"))))
      .prepare(),
    profile: db
      .select({
        id: profiles.id,
        firstName: profiles.firstName,
        lastName: profiles.lastName,
        email: profiles.email,
        phone: profiles.phone,
        city: profiles.city,
        tier: profiles.tier,
        lastPurchaseAt: profiles.lastPurchaseAt,
      })
      .from(profiles)
      .where(eq(profiles.id, sql.placeholder("id")))
      .prepare(),
  };
}

function statements(db: Db) {
  const prepared = preparedFor(db);
  return prepared;
}

function candidatesFor(db: Db, ids: number[], reasons: Map<number, MatchReason[]>): LookupCandidate[] {
  const { profile } = statements(db);
  return ids.flatMap((id) => {
    const p = profile.get({ id });
    if (!p) return [];
    return [
      {
        profileId: p.id,
        name: displayName(p),
        maskedEmail: maskEmail(p.email),
        maskedPhone: maskPhone(p.phone),
        city: p.city,
        tier: p.tier,
        lastPurchaseAt: p.lastPurchaseAt,
        matchedOn: reasons.get(id) ?? [],
      },
    ];
  });
}

/**
 * The one lookup box: an identifier is matched exactly on the normalised index; a name is searched
 * and always returns a list to choose from, never a profile on its own.
 */
export function lookupCustomer(db: Db, settings: IdentitySettings, input: string, options: LookupOptions = {}): LookupResult {
  const query = detectLookupQuery(input, settings);
  if (query.kind === "invalid") return query;
  if (query.kind === "name") {
    const found = searchProfilesByName(db, query.searched, options.filters, options.limit ?? MAX_CANDIDATES);
    const reasons = new Map(found.matches.map((m) => [m.id, [{ type: "name" as const, source: null, parts: m.matched }]]));
    const candidates = candidatesFor(
      db,
      found.matches.map((m) => m.id),
      reasons,
    );
    return candidates.length === 0
      ? { kind: "none", searched: query.searched, by: "name" }
      : { kind: "matches", searched: query.searched, by: "name", candidates, total: found.total, capped: found.capped };
  }
  const { owners } = statements(db);
  const rows = query.candidates.flatMap((c) => owners.all({ type: c.type, value: c.value }));
  const reasons = new Map<number, MatchReason[]>();
  for (const r of rows) reasons.set(r.profileId, [...(reasons.get(r.profileId) ?? []), { type: r.type, source: r.source }]);
  if (reasons.size === 0) return { kind: "none", searched: query.searched, by: "identifier" };
  const candidates = candidatesFor(db, [...reasons.keys()].slice(0, MAX_CANDIDATES), reasons).sort((a, b) => (b.lastPurchaseAt ?? 0) - (a.lastPurchaseAt ?? 0));
  return { kind: "matches", searched: query.searched, by: "identifier", candidates, total: reasons.size, capped: false };
}
