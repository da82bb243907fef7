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

const NAME_FIELDS = new Set<GoldenField>(["firstName", "lastName"]);

/** "H" or "H.": a name's initial, which a fuller name in a less trusted source beats. One letter of a script without case ("王") is a whole name. */
const isInitial = (name: string) => /^[\p{Lu}\p{Ll}]\.?$/u.test(name.trim());
/** "harriet" or "HARRIET": keyed in one case; the same name as the customer writes it beats it. */
const isOneCase = (name: string) => name === name.toLowerCase() || name === name.toUpperCase();

/**
 * Each golden field comes from the most trusted source that has a value, the most recent record
 * breaking ties; for a name, the most trusted that is more than an initial, written as the customer
 * writes it ("Harriet", not "harriet") when any record has it so. Consents are the opposite: the
 * latest statement the customer made wins, wherever.
 */
export function surviveFields(
  records: SurvivorshipRecord[],
  normalised: Partial<Record<GoldenField, (v: string) => string | null>> = {},
  counterConsents: Record<string, ConsentState> = {},
): Golden {
  const ranked = [...records].sort((a, b) => a.trustRank - b.trustRank || b.sourceUpdatedAt - a.sourceUpdatedAt || b.id - a.id);
  const golden = { lineage: {}, consents: {} } as Golden;
  for (const field of GOLDEN_FIELDS) {
    const candidates: { value: string; r: SurvivorshipRecord }[] = [];
    for (const r of ranked) {
      const raw = r[field]?.trim();
      const value = raw && (normalised[field] ? normalised[field](raw) : raw);
      if (value) candidates.push({ value, r });
    }
    let chosen = candidates[0];
    if (chosen && NAME_FIELDS.has(field)) {
      chosen = candidates.find((c) => !isInitial(c.value)) ?? chosen;
      const same = chosen.value.toLowerCase();
      if (isOneCase(chosen.value)) chosen = candidates.find((c) => c.value.toLowerCase() === same && !isOneCase(c.value)) ?? chosen;
    }
    golden[field] = chosen?.value ?? null;
    if (chosen) golden.lineage[field] = { sourceRecordId: chosen.r.id, source: chosen.r.source, updatedAt: chosen.r.sourceUpdatedAt };
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
