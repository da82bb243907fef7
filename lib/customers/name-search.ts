import { distance } from "fastest-levenshtein";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { profiles } from "@/db/schema";
import { type NameNarrowing, profilesNameContainingAll, profilesSharingTrigrams } from "@/db/search";
import { MAX_CANDIDATES, displayName } from "./display";

const MIN_NAME_QUERY = 3;
const FUZZY_POOL = 200;

function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function trigrams(text: string): string[] {
  const out = new Set<string>();
  for (const word of text.split(" ")) for (let i = 0; i + 3 <= word.length; i++) out.add(word.slice(i, i + 3));
  return [...out];
}

/** How far a typed name is from a stored one: each typed word against its closest stored word, or that word's start. */
export function nameDistance(typed: string, stored: string): number {
  const words = fold(stored).split(" ");
  const wordDistance = (t: string, w: string) => Math.min(distance(t, w), t.length < w.length ? distance(t, w.slice(0, t.length)) : Infinity);
  return fold(typed)
    .split(" ")
    .reduce((sum, t) => sum + Math.min(...words.map((w) => wordDistance(t, w))), 0);
}

/** Narrows a name search with what the customer can say at the counter. */
export type NameFilters = NameNarrowing;

export type NameMatch = { id: number; matched: string[] };

export type NameSearch = {
  matches: NameMatch[];
  /** How many profiles match in all (at most `FUZZY_POOL`; `capped` says there may be more). */
  total: number;
  capped: boolean;
};

type Row = { id: number; firstName: string | null; lastName: string | null; city: string | null; birthDate: string | null; phone: string | null };

/** Which parts of the stored name the typed words hit, in words an assistant says: "first name and surname". */
function nameParts(tokens: string[], row: Row): string[] {
  const hits = (part: string | null) => {
    const words = fold(part ?? "").split(" ");
    return tokens.some((t) => words.some((w) => w.includes(t)));
  };
  const parts = [hits(row.firstName) && "first name", hits(row.lastName) && "surname"].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts : ["name, spelt close"];
}

function passes(row: Row, filters: NameFilters): boolean {
  if (filters.city && fold(row.city ?? "") !== fold(filters.city)) return false;
  if (filters.birthYear && row.birthDate?.slice(0, 4) !== String(filters.birthYear)) return false;
  if (filters.phoneEnd && !(row.phone ?? "").endsWith(filters.phoneEnd)) return false;
  return true;
}

function filterParts(filters: NameFilters): string[] {
  return [filters.city && "city", filters.birthYear && "birth year", filters.phoneEnd && `phone ending ${filters.phoneEnd}`].filter((p): p is string =>
    Boolean(p),
  );
}

const ROW_COLUMNS = {
  id: profiles.id,
  firstName: profiles.firstName,
  lastName: profiles.lastName,
  city: profiles.city,
  birthDate: profiles.birthDate,
  phone: profiles.phone,
};

/**
 * Substring matches first ("kowal" finds Kowalski, "ann kow" finds Anna Kowalski); then near-misses
 * for typos. Filters keep only the profiles whose city, birth year or phone's last digits agree;
 * each match says which parts of the name and which filters it was found by.
 */
export function searchProfilesByName(db: Db, text: string, filters: NameFilters = {}, limit = MAX_CANDIDATES): NameSearch {
  const q = fold(text);
  const tokens = q.split(" ").filter((t) => t.length >= MIN_NAME_QUERY);
  if (tokens.length === 0) return { matches: [], total: 0, capped: false };
  const substringIds = profilesNameContainingAll(db, tokens, FUZZY_POOL, filters);
  const rowsOf = (ids: number[]): Row[] => (ids.length === 0 ? [] : db.select(ROW_COLUMNS).from(profiles).where(inArray(profiles.id, ids)).all());
  // Whole words typed rank first ("jose" finds José before Joseph), then words that start with what
  // was typed, then matches inside a word ("anna" before "hannah").
  const fit = (row: Row) => {
    const words = fold(displayName(row)).split(" ");
    return tokens.reduce((sum, t) => sum + (words.includes(t) ? 2 : words.some((w) => w.startsWith(t)) ? 1 : 0), 0);
  };
  const exact = rowsOf(substringIds)
    .filter((r) => passes(r, filters))
    .map((row) => ({ row, fit: fit(row) }))
    .sort((a, b) => b.fit - a.fit)
    .map(({ row }) => row);
  let found = exact.map((row) => ({ row, close: false }));
  if (exact.length < limit) {
    const pool = profilesSharingTrigrams(db, trigrams(q), FUZZY_POOL);
    // The stored name is not kept in a contentless index, so near-misses are scored against the profile row.
    const tolerance = (word: string) => (word.length >= 7 ? 2 : 1);
    const allowed = tokens.reduce((s, t) => s + tolerance(t), 0);
    const seen = new Set(exact.map((r) => r.id));
    const near = rowsOf(pool.filter((id) => !seen.has(id)))
      .filter((r) => passes(r, filters))
      .map((row) => ({ row, d: nameDistance(q, displayName(row)) }))
      .filter((c) => c.d <= allowed)
      .sort((a, b) => a.d - b.d);
    found = [...found, ...near.map(({ row }) => ({ row, close: true }))];
  }
  const extra = filterParts(filters);
  return {
    matches: found.slice(0, limit).map(({ row, close }) => ({ id: row.id, matched: [...(close ? ["name, spelt close"] : nameParts(tokens, row)), ...extra] })),
    total: found.length,
    capped: substringIds.length >= FUZZY_POOL,
  };
}

export function findProfileIdsByName(db: Db, text: string, limit = MAX_CANDIDATES): number[] {
  return searchProfilesByName(db, text, {}, limit).matches.map((m) => m.id);
}
