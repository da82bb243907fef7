import type { ConsentState, FieldLineage } from "@/db/schema";

export const GOLDEN_FIELDS = ["firstName", "lastName", "email", "phone", "loyaltyId", "birthDate", "city", "postcode", "tier"] as const;
export type GoldenField = (typeof GOLDEN_FIELDS)[number];

export type SurvivorshipRecord = {
  id: number;
  source: string;
  trustRank: number;
  sourceUpdatedAt: number;
  consents: Record<string, boolean> | null;
} & Record<GoldenField, string | null>;

export type Golden = Record<GoldenField, string | null> & {
  lineage: Record<string, FieldLineage>;
  consents: Record<string, ConsentState>;
};

/**
 * Each golden field comes from the most trusted source that has a value, the most recent record
 * breaking ties. Consents are the opposite: the latest statement the customer made wins, wherever.
 */
export function surviveFields(
  records: SurvivorshipRecord[],
  normalised: Partial<Record<GoldenField, (v: string) => string | null>> = {},
  counterConsents: Record<string, ConsentState> = {},
): Golden {
  const ranked = [...records].sort((a, b) => a.trustRank - b.trustRank || b.sourceUpdatedAt - a.sourceUpdatedAt || b.id - a.id);
  const golden = { lineage: {}, consents: {} } as Golden;
  for (const field of GOLDEN_FIELDS) {
    golden[field] = null;
    for (const r of ranked) {
      const raw = r[field]?.trim();
      if (!raw) continue;
      const value = normalised[field] ? normalised[field](raw) : raw;
      if (!value) continue;
      golden[field] = value;
      golden.lineage[field] = { sourceRecordId: r.id, source: r.source, updatedAt: r.sourceUpdatedAt };
      break;
    }
  }
  const byRecency = [...records].sort((a, b) => a.sourceUpdatedAt - b.sourceUpdatedAt || a.id - b.id);
  for (const r of byRecency) {
    for (const [channel, granted] of Object.entries(r.consents ?? {})) {
      golden.consents[channel] = { granted, at: r.sourceUpdatedAt, source: r.source };
    }
  }
  for (const [channel, said] of Object.entries(counterConsents)) {
    if (!golden.consents[channel] || golden.consents[channel].at <= said.at) golden.consents[channel] = said;
  }
  return golden;
}
