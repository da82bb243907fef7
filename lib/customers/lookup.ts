import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type IdentifierType, identifiers, profiles } from "@/db/schema";
import { type IdentitySettings, detectLookupQuery, maskEmail, maskPhone } from "@/lib/identity/normalize";

export type LookupCandidate = {
  profileId: number;
  name: string;
  maskedEmail: string | null;
  maskedPhone: string | null;
  city: string | null;
  tier: string | null;
  lastPurchaseAt: number | null;
  matchedOn: IdentifierType[];
};

export type LookupResult =
  | { kind: "invalid"; reason: string }
  | { kind: "none"; searched: string }
  | { kind: "one"; searched: string; profileId: number; matchedOn: IdentifierType[] }
  | { kind: "many"; searched: string; candidates: LookupCandidate[] };

export const MAX_CANDIDATES = 10;

export function displayName(p: { firstName: string | null; lastName: string | null }): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || "Name not known";
}

/** Exact lookup on the identifier index: what the assistant typed, normalised, against every strong identifier. */
export function lookupCustomer(db: Db, settings: IdentitySettings, input: string): LookupResult {
  const query = detectLookupQuery(input, settings);
  if (query.kind === "invalid") return query;
  const rows = db
    .selectDistinct({ profileId: identifiers.profileId, type: identifiers.type })
    .from(identifiers)
    .where(or(...query.candidates.map((c) => and(eq(identifiers.type, c.type), eq(identifiers.value, c.value)))))
    .all();
  const matchedOn = new Map<number, IdentifierType[]>();
  for (const r of rows) matchedOn.set(r.profileId, [...(matchedOn.get(r.profileId) ?? []), r.type]);
  if (matchedOn.size === 0) return { kind: "none", searched: query.searched };
  if (matchedOn.size === 1) {
    const [[profileId, types]] = matchedOn;
    return { kind: "one", searched: query.searched, profileId, matchedOn: types };
  }
  const found = db
    .select()
    .from(profiles)
    .where(inArray(profiles.id, [...matchedOn.keys()].slice(0, MAX_CANDIDATES)))
    .all()
    .sort((a, b) => (b.lastPurchaseAt ?? 0) - (a.lastPurchaseAt ?? 0));
  return {
    kind: "many",
    searched: query.searched,
    candidates: found.map((p) => ({
      profileId: p.id,
      name: displayName(p),
      maskedEmail: maskEmail(p.email),
      maskedPhone: maskPhone(p.phone),
      city: p.city,
      tier: p.tier,
      lastPurchaseAt: p.lastPurchaseAt,
      matchedOn: matchedOn.get(p.id) ?? [],
    })),
  };
}
