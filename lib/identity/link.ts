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

/** The attributes that one person can only have one of: two values in a profile mean two people. */
export type ExclusiveAttributes = { loyalty: string[]; birthDates: string[] };

export type LinkCandidate = { profileId: number; via: Identifier[]; attributes: ExclusiveAttributes };

export type LinkConflict = {
  kind: "conflicting_loyalty" | "conflicting_birth_date";
  profileId: number;
  via: Identifier;
  ours: string;
  theirs: string;
};

export type GuardedLinkInput = {
  currentProfile: number | null;
  /** The record's own values plus those of the profile it is already in. */
  attributes: ExclusiveAttributes;
  /** Profiles owning the record's identifiers, over-shared identifiers already left out. */
  candidates: LinkCandidate[];
};

export type GuardedLinkPlan = LinkPlan & { conflicts: LinkConflict[] };

const STRENGTH: Record<Identifier["type"], number> = { loyalty: 0, email: 1, phone: 2 };

function strongestVia(c: LinkCandidate): Identifier {
  return [...c.via].sort((a, b) => STRENGTH[a.type] - STRENGTH[b.type])[0];
}

function clash(ours: string[], theirs: string[]): [string, string] | null {
  for (const a of ours) for (const b of theirs) if (a !== b) return [a, b];
  return null;
}

function conflictBetween(ours: ExclusiveAttributes, c: LinkCandidate): LinkConflict | null {
  const via = strongestVia(c);
  const loyalty = clash(ours.loyalty, c.attributes.loyalty);
  if (loyalty) return { kind: "conflicting_loyalty", profileId: c.profileId, via, ours: loyalty[0], theirs: loyalty[1] };
  const birth = clash(ours.birthDates, c.attributes.birthDates);
  if (birth) return { kind: "conflicting_birth_date", profileId: c.profileId, via, ours: birth[0], theirs: birth[1] };
  return null;
}

function union(a: ExclusiveAttributes, b: ExclusiveAttributes): ExclusiveAttributes {
  return { loyalty: [...new Set([...a.loyalty, ...b.loyalty])], birthDates: [...new Set([...a.birthDates, ...b.birthDates])] };
}

/**
 * planLink with the guard rails: a profile whose loyalty ID or birth date differs from the record's
 * is not joined but reported. When the remaining profiles disagree among themselves (a household
 * phone reaching two card holders) and the record cannot tell which one it is, it joins none of them.
 */
export function planGuardedLink(input: GuardedLinkInput): GuardedLinkPlan {
  const conflicts: LinkConflict[] = [];
  const compatible: LinkCandidate[] = [];
  const others = input.candidates
    .filter((c) => c.profileId !== input.currentProfile)
    .sort((a, b) => STRENGTH[strongestVia(a).type] - STRENGTH[strongestVia(b).type] || a.profileId - b.profileId);
  for (const c of others) {
    const conflict = conflictBetween(input.attributes, c);
    if (conflict) conflicts.push(conflict);
    else compatible.push(c);
  }
  let combined = input.attributes;
  let ambiguous = false;
  for (const c of compatible) {
    const conflict = conflictBetween(combined, c);
    if (conflict) {
      ambiguous = true;
      break;
    }
    combined = union(combined, c.attributes);
  }
  if (ambiguous) {
    for (const c of compatible) {
      const loyalty = c.attributes.loyalty[0];
      const kind = loyalty ? "conflicting_loyalty" : "conflicting_birth_date";
      const theirs = loyalty ?? c.attributes.birthDates[0] ?? "";
      conflicts.push({ kind, profileId: c.profileId, via: strongestVia(c), ours: "", theirs });
    }
  }
  const joined = new Set<number>();
  if (input.currentProfile !== null) joined.add(input.currentProfile);
  if (!ambiguous) for (const c of compatible) joined.add(c.profileId);
  if (joined.size === 0) return { target: null, absorb: [], conflicts };
  const sorted = [...joined].sort((a, b) => a - b);
  return { target: sorted[0], absorb: sorted.slice(1), conflicts };
}

/** Birth dates compared by their digits, so 1971-06-24 from one system and 19710624 from another agree. */
export function canonicalBirthDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!trimmed) return null;
  const digits = trimmed.replace(/\D/g, "");
  return digits.length >= 6 ? digits : trimmed.toLowerCase();
}
