import { distance } from "fastest-levenshtein";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { profiles } from "@/db/schema";
import { profilesNameContainingAll, profilesSharingTrigrams } from "@/db/search";
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

/** Substring matches first ("kowal" finds Kowalski, "ann kow" finds Anna Kowalski); then near-misses for typos. */
export function findProfileIdsByName(db: Db, text: string, limit = MAX_CANDIDATES): number[] {
  const q = fold(text);
  const tokens = q.split(" ").filter((t) => t.length >= MIN_NAME_QUERY);
  if (tokens.length === 0) return [];
  const substring = profilesNameContainingAll(db, tokens, FUZZY_POOL);
  // Words that start with what was typed rank above matches inside a word ("anna" before "hannah").
  const wordStarts = (name: string) => tokens.filter((t) => fold(name).split(" ").some((w) => w.startsWith(t))).length;
  const exact = substring
    .sort((a, b) => wordStarts(b.name) - wordStarts(a.name))
    .slice(0, limit)
    .map((r) => r.id);
  if (exact.length >= limit) return exact;
  const pool = profilesSharingTrigrams(db, trigrams(q), FUZZY_POOL);
  // The stored name is not kept in a contentless index, so near-misses are scored against the profile row.
  const candidates = pool.length === 0 ? [] : db.select({ id: profiles.id, firstName: profiles.firstName, lastName: profiles.lastName }).from(profiles).where(inArray(profiles.id, pool)).all();
  const tolerance = (word: string) => (word.length >= 7 ? 2 : 1);
  const near = candidates
    .map((c) => ({ id: c.id, d: nameDistance(q, displayName(c)) }))
    .filter((c) => c.d <= tokens.reduce((s, t) => s + tolerance(t), 0))
    .sort((a, b) => a.d - b.d)
    .map((c) => c.id);
  return [...new Set([...exact, ...near])].slice(0, limit);
}
