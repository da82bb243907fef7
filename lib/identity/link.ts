import type { Identifier } from "./normalize";

export type LinkPlan = {
  /** The profile the record joins; null means a new profile. */
  target: number | null;
  /** Profiles to fold into the target because the record bridges them. */
  absorb: number[];
};

/**
 * Decides where a source record goes, given which profiles already own each of its identifiers.
 * Profiles are the components of the "shares a strong identifier" graph, kept incrementally: a
 * record that bridges several components merges them, into the oldest so that IDs stay stable.
 */
export function planLink(currentProfile: number | null, owners: Map<Identifier, number[]>): LinkPlan {
  const candidates = new Set<number>();
  if (currentProfile !== null) candidates.add(currentProfile);
  for (const ids of owners.values()) for (const id of ids) candidates.add(id);
  if (candidates.size === 0) return { target: null, absorb: [] };
  const sorted = [...candidates].sort((a, b) => a - b);
  return { target: sorted[0], absorb: sorted.slice(1) };
}
