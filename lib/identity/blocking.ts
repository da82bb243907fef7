import doubleMetaphone from "talisman/phonetics/double-metaphone.js";
import { BoundedCache } from "@/lib/memo";
import type { MatchRecord } from "./match-model";

/**
 * Blocking: which records are compared at all. A pair is a candidate when its records share a
 * strong identifier (email, phone, loyalty ID: the identifiers table, indexed) or at least two of
 * these keys (the match_keys table, indexed): names that sound alike, birth date, surname sound and
 * birth year, postcode, first-name sound and city, email name and domain start, house number and
 * street. The rules are ORed;
 * a key shared by more records than the cap is too common to block on and is skipped, so a common
 * name never makes a block of 10,000. In a chain-sized store a postcode and a common surname's
 * sound are each such keys, so their pair is a key of its own, a household's size, that counts for
 * two: the same surname at the same postcode is found however large the store grows.
 */

/** Names repeat from record to record, and their sound is the dearest part of a record's keys. */
const sounds = new BoundedCache<string, string>(50_000);
function sound(name: string): string {
  if (!name) return "";
  let key = sounds.get(name);
  if (key === undefined) {
    key = doubleMetaphone(name)[0] || name;
    sounds.set(name, key);
  }
  return key;
}

/** The blocks a record falls in. Name keys are order-free, so a first and last name typed the wrong way round still meet. */
export function blockingKeys(r: MatchRecord): string[] {
  const keys: string[] = [];
  if (r.birth) keys.push(`b:${r.birth}`);
  if (r.postcode) keys.push(`p:${r.postcode}`);
  if (r.postcode && r.last) keys.push(`${HOME_AND_SURNAME}${r.postcode}:${sound(r.last)}`);
  if (r.first && r.last) keys.push(`n:${[sound(r.first), sound(r.last)].sort().join(":")}`);
  if (r.last && r.birth.length >= 4) keys.push(`y:${sound(r.last)}:${r.birth.slice(0, 4)}`);
  if (r.first && r.city) keys.push(`c:${sound(r.first)}:${r.city}`);
  const at = r.email.indexOf("@");
  if (at > 2) keys.push(`e:${r.email.slice(0, 3)}:${r.email.slice(at + 1)}`);
  const house = HOUSE.exec(r.address);
  if (house) keys.push(`${ADDRESS}${house[1]}:${sound(house[2])}`);
  return keys;
}

const ADDRESS = "a:";
/** A house number and the word after it, its street ("6 ashburton circuit", "flat 2 14 mill lane" → 14 mill). */
const HOUSE = /\b(\d+[a-z]?) ([a-z]{2,})/;

/**
 * An address key is a household's: walked only while it holds a household and a few slips of it. One
 * holding more is a street name many towns share ("12 Park Avenue"), too common to block on.
 */
export const MAX_ADDRESS_BLOCK = 20;

/** The most records a block is walked for: `cap`, or less for an address key. */
export const blockCap = (key: string, cap: number) => (key.startsWith(ADDRESS) ? Math.min(cap, MAX_ADDRESS_BLOCK) : cap);

/** Keys a pair must share (besides a strong identifier) to be compared. */
export const MIN_SHARED_KEYS = 2;

const HOME_AND_SURNAME = "q:";

/** How many of the MIN_SHARED_KEYS a shared key stands for: the postcode-and-surname key is two keys in one. */
export const keyStrength = (key: string) => (key.startsWith(HOME_AND_SURNAME) ? MIN_SHARED_KEYS : 1);

/** A key held by this many records or more is not used to find candidates. */
export const MAX_BLOCK = 50;
