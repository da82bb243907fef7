import type { MatchEvidence, MatchEvidencePart } from "@/db/schema";

export type { MatchEvidence, MatchEvidencePart };
import damerauLevenshtein from "talisman/metrics/damerau-levenshtein.js";
import jaroWinkler from "talisman/metrics/jaro-winkler.js";
import { DAY_MS } from "@/lib/days";
import { isGivenName, sexesOf } from "./given-names";
import { canonicalBirthDate } from "./link";

import { type IdentitySettings, isBlocked, mistypedPhone, normalizeLoyaltyId, normalizePhone, type PhoneKind, phoneKind } from "./normalize";

/**
 * The probabilistic match model (Fellegi–Sunter, as Splink does it). Each comparison sorts a pair of
 * records into one of its levels, best first; each level has m (how often one person's two records
 * land there) and u (how often two strangers' do), and log2(m/u) is its weight. Weights add up with
 * the prior odds into the match probability. A missing value on either side is no level at all:
 * weight 0, neither for nor against. Exact agreement on a name or a city weighs by how rare the value
 * is (term frequency): "Smith" tells less than "Kowalski".
 */

/** The fields compared, normalised once per record. Empty string: not known. */
export type MatchRecord = {
  id: number;
  profileId: number;
  /** The source system's ID: two of one system's customers are told apart by the system itself (guardConflict). */
  sourceId: number;
  first: string;
  last: string;
  /** Digits, YYYYMMDD where the source gave a full date. */
  birth: string;
  /** The birth date as days since 1970, NaN unless `birth` is a real calendar date. */
  birthDay: number;
  email: string;
  /** The digits in the email's name ("j.smith71" → "71"), which tell namesakes' addresses apart. */
  emailDigits: string;
  /** E.164. */
  phone: string;
  /** Whether `phone` is a mobile or a landline; "" without one. Looked up once here, not per pair compared. */
  phoneKind: PhoneKind | "";
  /** A number not valid as written (a digit missed or added), E.164 as read; "" otherwise. Compared with valid numbers only. */
  phoneMistyped: string;
  postcode: string;
  address: string;
  city: string;
  loyalty: string;
  /** Display forms for explanations ("Kowalsky"). */
  display: { first: string; last: string; city: string; postcode: string };
};

export type RawMatchRecord = {
  id: number;
  profileId: number;
  sourceId: number;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  address: string | null;
  city: string | null;
  loyaltyId: string | null;
};

/** Latin letters that Unicode does not decompose into a base letter and a mark. */
const UNDECOMPOSED: Record<string, string> = { ß: "ss", ł: "l", ø: "o", æ: "ae", œ: "oe", đ: "d", ð: "d", þ: "th", ı: "i" };

/**
 * A name as compared: lower case, accents off (Siân is Sian), spaces, hyphens and apostrophes out
 * (O'Connor is OConnor), letters of every script kept: 王芳 and 李娜, or Ольга and Татьяна, are two
 * names, not two unknown ones.
 */
const letters = (v: string | null) =>
  (v ?? "")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/\p{M}/gu, "")
    .replace(/[ßłøæœđðþı]/g, (c) => UNDECOMPOSED[c])
    .replace(/[^\p{L}]/gu, "");

/** YYYYMMDD as days since 1970; NaN for anything that is not a calendar date. */
function dayNumber(birth: string): number {
  if (!/^\d{8}$/.test(birth)) return NaN;
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  const t = Date.UTC(y, m - 1, d);
  const date = new Date(t);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? t / DAY_MS : NaN;
}

const usable = (type: "email" | "phone" | "loyalty", value: string | null, settings: IdentitySettings) =>
  value && !isBlocked({ type, value }, settings) ? value : "";

/** Placeholders and blocked values (a store's own phone, noemail@…) are treated as not known. */
export function toMatchRecord(r: RawMatchRecord, settings: IdentitySettings): MatchRecord {
  const birth = canonicalBirthDate(r.birthDate) ?? "";
  // Trimmed, in one Unicode form and lower-cased as normalizeEmail does, without its full validation: this runs for every candidate record.
  const email = usable("email", r.email?.includes("@") ? r.email.trim().normalize("NFC").toLowerCase() : null, settings);
  const validPhone = normalizePhone(r.phone, settings.defaultCountry);
  const phone = usable("phone", validPhone, settings);
  return {
    id: r.id,
    profileId: r.profileId,
    sourceId: r.sourceId,
    first: letters(r.firstName),
    last: letters(r.lastName),
    birth,
    birthDay: dayNumber(birth),
    email,
    emailDigits: email.slice(0, email.indexOf("@")).replace(/\D/g, ""),
    phone,
    phoneKind: phone ? phoneKind(phone) : "",
    phoneMistyped: validPhone ? "" : (mistypedPhone(r.phone, settings.defaultCountry) ?? ""),
    postcode: (r.postcode ?? "").toUpperCase().replace(/[^A-Z0-9]/g, ""),
    address: (r.address ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9 ]/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
    city: letters(r.city),
    loyalty: usable("loyalty", normalizeLoyaltyId(r.loyaltyId, settings.loyalty), settings),
    display: { first: (r.firstName ?? "").trim(), last: (r.lastName ?? "").trim(), city: (r.city ?? "").trim(), postcode: (r.postcode ?? "").trim() },
  };
}

// ── Comparisons and their levels ───────────────────────────────────────────────────────────────

export type TfField = "first" | "last" | "city";

export type Level = {
  key: string;
  /** Plain words for a waterfall: a and b are the display values. */
  text: (a: MatchRecord, b: MatchRecord) => string;
  test: (a: MatchRecord, b: MatchRecord) => boolean;
  /** Starting m and u, before the store's own records re-estimate them. */
  m: number;
  u: number;
  /**
   * Says only that the two values cannot be compared well (a landline beside a mobile, a number not
   * valid as written): between two profiles it counts only where no pair of their records reaches
   * another level. Two mobiles that differ are evidence against, and a household landline on one
   * side must not hide them.
   */
  fallback?: true;
};

export type Comparison = {
  name: ComparisonName;
  label: string;
  /** Whether the pair has something to compare; if not, the comparison weighs nothing. */
  known: (a: MatchRecord, b: MatchRecord) => boolean;
  levels: Level[];
  /** Exact agreement on this field weighs by the value's frequency. */
  tf?: TfField;
};

export const COMPARISON_NAMES = ["first", "last", "birth", "email", "phone", "postcode", "address", "city", "loyalty"] as const;
export type ComparisonName = (typeof COMPARISON_NAMES)[number];

/** One slip apart, or alike by Jaro-Winkler; a slip that leaves two letters or fewer each side makes another name (J and K, 王 and 李, Jo and Ja), not Jo and Joe. */
const close = (a: string, b: string, jw: number) => (Math.max(a.length, b.length) >= 3 && damerauLevenshtein(a, b) <= 1) || jaroWinkler(a, b) >= jw;
const isInitial = (a: string, b: string) => (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
const both = (field: keyof Omit<MatchRecord, "display" | "id" | "profileId">) => (a: MatchRecord, b: MatchRecord) => a[field] !== "" && b[field] !== "";
/** A comparison of one field, known when both records have a value; `tf`: exact agreement weighs by the value's frequency. */
const comparison = (name: ComparisonName, label: string, options: { tf?: TfField }, levels: Level[]): Comparison => ({
  name,
  label,
  known: both(name),
  ...options,
  levels,
});
const ELSE = (m: number, u: number, text: (a: MatchRecord, b: MatchRecord) => string): Level => ({ key: "else", test: () => true, text, m, u });

/** Day and month swapped, or one digit changed or two neighbours transposed: the slips of typing a date. */
function birthSlip(a: string, b: string): boolean {
  if (a.length === 8 && b.length === 8 && a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) return true;
  return a.length === b.length && damerauLevenshtein(a, b) <= 1;
}

/** Another year and more than two slips apart (Damerau-Levenshtein over the digits), day and month swaps aside. */
function birthsApart(a: string, b: string): boolean {
  return a.slice(0, 4) !== b.slice(0, 4) && !birthSlip(a, b) && damerauLevenshtein(a, b) > 2;
}

/** Days between two full birth dates; NaN where either is not one. */
const daysApart = (a: MatchRecord, b: MatchRecord) => Math.abs(a.birthDay - b.birthDay);

const local = (email: string) => email.slice(0, email.indexOf("@"));
const domain = (email: string) => email.slice(email.indexOf("@") + 1);
/**
 * Two addresses made of one shared rest and each owner's first name or its initial, before or after
 * it (paula.hartley@ / paul.hartley@, j.brackenburgh@ / k.brackenburgh@), where the two names are two
 * people's: a woman's and a man's, or names with nothing in common. Such addresses are a couple's
 * two, not one slip apart nor alike. A record without a first name is taken at its address's word
 * (paula.stainthorpe@ beside Paul's paul.stainthorpe@). A name and its short form (chris. /
 * christopher.) are one person's, and their addresses stay alike.
 */
function couplesAddresses(a: MatchRecord, b: MatchRecord): boolean {
  const [la, lb] = [local(a.email), local(b.email)];
  for (const [x, y, lx, ly] of [
    [a, b, la, lb],
    [b, a, lb, la],
  ] as const) {
    if (x.first === "") continue;
    for (const word of [x.first, x.first[0]]) {
      if (lx.startsWith(word) && lx.length > word.length) {
        const rest = lx.slice(word.length);
        if (ly.endsWith(rest) && twoPeople(a, b, x.first, ly.slice(0, ly.length - rest.length), y.first)) return true;
      }
      if (lx.endsWith(word) && lx.length > word.length) {
        const rest = lx.slice(0, lx.length - word.length);
        if (ly.startsWith(rest) && twoPeople(a, b, x.first, ly.slice(rest.length), y.first)) return true;
      }
    }
  }
  return false;
}

/** Whether the word in the other address (its owner's first name or initial, or where the record has none, the word itself if it is a first name) names someone else. */
function twoPeople(a: MatchRecord, b: MatchRecord, name: string, word: string, otherFirst: string): boolean {
  const other =
    otherFirst === "" ? (isGivenName(word) ? word : "") : word === otherFirst || (word.length === 1 && otherFirst.startsWith(word)) ? otherFirst : "";
  if (other === "" || other === name) return false;
  if (sexesOf(name, other) !== null) return true;
  return !isInitial(name, other) && levelsOf({ ...a, first: name }, { ...b, first: other }, [COMPARISONS[FIRST]])[0] === FIRST_ELSE;
}

const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)(\d)([A-Z]{2})$/;
/** UK: sector "SW1A 1" and district "SW1A"; elsewhere (numeric codes) the leading digits do the same. */
function postcodeParts(p: string): { sector: string; district: string } {
  const uk = UK_POSTCODE.exec(p);
  if (uk) return { sector: uk[1] + uk[2], district: uk[1] };
  return { sector: p.slice(0, -1), district: p.slice(0, -2) };
}

const name = (r: MatchRecord, f: "first" | "last") => r.display[f] || r[f];

/** The record's number: the valid one, else the one a slip made invalid. */
const phoneOf = (r: MatchRecord) => r.phone || r.phoneMistyped;

/**
 * A mobile and a number one digit from it (missed, added, changed, or two swapped: Damerau-Levenshtein
 * ≤ 1 over E.164), valid or not: one person's mobile, typed wrongly once.
 */
function mobileDigitApart(a: MatchRecord, b: MatchRecord): boolean {
  const [x, y] = [phoneOf(a), phoneOf(b)];
  if (x === "" || y === "" || (a.phoneKind !== "mobile" && b.phoneKind !== "mobile")) return false;
  return Math.abs(x.length - y.length) <= 1 && damerauLevenshtein(x, y) <= 1;
}

/** First and last name written the other way round, each as it is or with one slip ("Luke Vincent" / "Vincen Luke"). */
const swappedNames = (a: MatchRecord, b: MatchRecord) =>
  a.last !== "" && b.last !== "" && a.first !== "" && b.first !== "" && close(a.first, b.last, 0.92) && close(a.last, b.first, 0.92);

export const COMPARISONS: Comparison[] = [
  comparison("first", "First name", { tf: "first" }, [
    { key: "exact", test: (a, b) => a.first === b.first, text: (a) => `same first name: ${name(a, "first")}`, m: 0.85, u: 0.01 },
    {
      key: "close",
      test: (a, b) => close(a.first, b.first, 0.92),
      text: (a, b) => `first names close: ${name(a, "first")} / ${name(b, "first")}`,
      m: 0.08,
      u: 0.003,
    },
    {
      key: "swapped",
      test: swappedNames,
      text: (a, b) => `first and last name swapped: ${name(a, "first")} ${name(a, "last")} / ${name(b, "first")} ${name(b, "last")}`,
      m: 0.01,
      u: 0.00005,
    },
    {
      key: "similar",
      // Or beginning alike, as a name and its short form do (Danny and Daniel, Sam and Samantha).
      test: (a, b) => jaroWinkler(a.first, b.first) >= 0.8 || (a.first.length >= 3 && b.first.length >= 3 && a.first.slice(0, 3) === b.first.slice(0, 3)),
      text: (a, b) => `first names alike, not the same: ${name(a, "first")} / ${name(b, "first")}`,
      m: 0.03,
      u: 0.05,
    },
    {
      key: "initial",
      test: (a, b) => isInitial(a.first, b.first),
      text: (a, b) => `first name and its initial: ${name(a, "first")} / ${name(b, "first")}`,
      m: 0.01,
      u: 0.005,
    },
    ELSE(0.02, 0.93, (a, b) => `different first names: ${name(a, "first")} / ${name(b, "first")}`),
  ]),
  comparison("last", "Surname", { tf: "last" }, [
    { key: "exact", test: (a, b) => a.last === b.last, text: (a) => `same surname: ${name(a, "last")}`, m: 0.85, u: 0.005 },
    {
      key: "close",
      test: (a, b) => close(a.last, b.last, 0.92),
      text: (a, b) => `surnames close: ${name(a, "last")} / ${name(b, "last")}`,
      m: 0.08,
      u: 0.002,
    },
    { key: "swapped", test: swappedNames, text: () => "first and last name swapped", m: 0.01, u: 0.00005 },
    {
      key: "similar",
      test: (a, b) => jaroWinkler(a.last, b.last) >= 0.8,
      text: (a, b) => `surnames alike, not the same: ${name(a, "last")} / ${name(b, "last")}`,
      m: 0.03,
      u: 0.04,
    },
    {
      key: "initial",
      test: (a, b) => isInitial(a.last, b.last),
      text: (a, b) => `surname and its initial: ${name(a, "last")} / ${name(b, "last")}`,
      m: 0.01,
      u: 0.003,
    },
    ELSE(0.03, 0.95, (a, b) => `different surnames: ${name(a, "last")} / ${name(b, "last")}`),
  ]),
  // Splink's date-of-birth comparison: a slip of typing, then how far apart the two dates are.
  comparison("birth", "Birth date", {}, [
    { key: "exact", test: (a, b) => a.birth === b.birth, text: () => "born the same day", m: 0.92, u: 0.0001 },
    { key: "slip", test: (a, b) => birthSlip(a.birth, b.birth), text: () => "birth dates one slip apart", m: 0.05, u: 0.002 },
    { key: "month", test: (a, b) => daysApart(a, b) <= 31, text: () => "born within a month of each other", m: 0.01, u: 0.002 },
    {
      key: "year",
      test: (a, b) => daysApart(a, b) <= 366 || (Number.isNaN(daysApart(a, b)) && a.birth.slice(0, 4) === b.birth.slice(0, 4)),
      text: () => "born within a year of each other",
      m: 0.01,
      u: 0.03,
    },
    { key: "decade", test: (a, b) => daysApart(a, b) <= 3653, text: () => "born within ten years of each other", m: 0.005, u: 0.3 },
    ELSE(0.005, 0.666, () => "born more than ten years apart"),
  ]),
  comparison("email", "Email", {}, [
    { key: "exact", test: (a, b) => a.email === b.email, text: () => "same email", m: 0.8, u: 0.000001 },
    // Numbers in an address tell namesakes apart (j.smith71, j.smith72, lrossi1549 / lrossi1594), and
    // first names a couple (paula.hartley, paul.hartley): such two are neither one slip apart nor alike,
    // however close the rest is.
    {
      key: "close",
      test: (a, b) =>
        a.emailDigits === b.emailDigits &&
        domain(a.email) === domain(b.email) &&
        damerauLevenshtein(local(a.email), local(b.email)) <= 1 &&
        !couplesAddresses(a, b),
      text: () => "emails one character apart",
      m: 0.08,
      u: 0.00001,
    },
    { key: "local", test: (a, b) => local(a.email) === local(b.email), text: () => "same email name at another domain", m: 0.04, u: 0.00002 },
    // Splink's email comparison: Jaro-Winkler over the whole address at 0.88 catches an address
    // keyed with several slips.
    {
      key: "alike",
      test: (a, b) => a.emailDigits === b.emailDigits && jaroWinkler(a.email, b.email) >= 0.88 && !couplesAddresses(a, b),
      text: () => "emails alike",
      m: 0.03,
      u: 0.0005,
    },
    ELSE(0.08, 0.99997, () => "different emails"),
  ]),
  {
    name: "phone",
    label: "Phone",
    // A number mistyped so that it is no longer valid is compared with valid numbers only: two that
    // are not valid may be one placeholder.
    known: (a, b) => phoneOf(a) !== "" && phoneOf(b) !== "" && (a.phone !== "" || b.phone !== ""),
    levels: [
      { key: "exact", test: (a, b) => a.phone === b.phone, text: () => "same phone number", m: 0.7, u: 0.000001 },
      { key: "last7", test: (a, b) => a.phone.slice(-7) === b.phone.slice(-7), text: () => "phone numbers end in the same 7 digits", m: 0.05, u: 0.0001 },
      {
        key: "digit",
        test: mobileDigitApart,
        text: () => "mobile numbers one digit apart",
        m: 0.02,
        u: 0.00004,
      },
      // Not valid and not one digit off the other: a slip of another number, or a till's filler, so
      // it starts out weighing less against than two valid numbers that differ; the store's own
      // estimate says how often its records hold such numbers. Only where no two numbers compare
      // otherwise, as a landline beside a mobile.
      {
        key: "invalid",
        test: (a, b) => a.phone === "" || b.phone === "",
        text: () => "different phone numbers: one not valid as written",
        m: 0.3,
        u: 0.9,
        fallback: true,
      },
      // A home landline on one record and a mobile on another are two numbers one person has: that they
      // differ starts out as saying nothing (m = u), where two mobiles that differ tell against a match.
      {
        key: "kinds",
        test: (a, b) => a.phoneKind !== b.phoneKind && a.phoneKind !== "other" && b.phoneKind !== "other",
        text: () => "different phone numbers: a landline and a mobile",
        m: 0.1,
        u: 0.1,
        fallback: true,
      },
      ELSE(0.15, 0.8999, () => "different phone numbers"),
    ],
  },
  comparison("postcode", "Postcode", {}, [
    { key: "exact", test: (a, b) => a.postcode === b.postcode, text: (a) => `same postcode: ${a.display.postcode || a.postcode}`, m: 0.85, u: 0.0005 },
    {
      key: "sector",
      test: (a, b) => postcodeParts(a.postcode).sector === postcodeParts(b.postcode).sector,
      text: () => "postcodes in the same sector",
      m: 0.04,
      u: 0.005,
    },
    {
      key: "district",
      test: (a, b) => postcodeParts(a.postcode).district === postcodeParts(b.postcode).district,
      text: () => "postcodes in the same district",
      m: 0.03,
      u: 0.03,
    },
    ELSE(0.08, 0.96, (a, b) => `different postcodes: ${a.display.postcode || a.postcode} / ${b.display.postcode || b.postcode}`),
  ]),
  comparison("address", "Address", {}, [
    { key: "exact", test: (a, b) => a.address === b.address, text: () => "same address", m: 0.75, u: 0.0001 },
    { key: "close", test: (a, b) => jaroWinkler(a.address, b.address) >= 0.9, text: () => "addresses close", m: 0.15, u: 0.002 },
    ELSE(0.1, 0.998, () => "different addresses"),
  ]),
  comparison("city", "City", { tf: "city" }, [
    { key: "exact", test: (a, b) => a.city === b.city, text: (a) => `same city: ${a.display.city || a.city}`, m: 0.85, u: 0.05 },
    { key: "close", test: (a, b) => close(a.city, b.city, 0.9), text: (a, b) => `cities close: ${a.display.city} / ${b.display.city}`, m: 0.05, u: 0.005 },
    ELSE(0.1, 0.945, (a, b) => `different cities: ${a.display.city || a.city} / ${b.display.city || b.city}`),
  ]),
  comparison("loyalty", "Loyalty ID", {}, [
    { key: "exact", test: (a, b) => a.loyalty === b.loyalty, text: () => "same loyalty ID", m: 0.9, u: 0.0000001 },
    {
      key: "digit",
      test: (a, b) => a.loyalty.length === b.loyalty.length && damerauLevenshtein(a.loyalty, b.loyalty) <= 1,
      text: () => "loyalty IDs one digit apart",
      m: 0.03,
      u: 0.00001,
    },
    ELSE(0.07, 0.99999, () => "different loyalty IDs"),
  ]),
];

export const COMPARISON_BY_NAME = new Map(COMPARISONS.map((c) => [c.name, c]));

/** The level index of each comparison for a pair; -1 where either value is missing. */
export function levelsOf(a: MatchRecord, b: MatchRecord, comparisons: Comparison[] = COMPARISONS): Int8Array {
  const out = new Int8Array(comparisons.length);
  for (let c = 0; c < comparisons.length; c++) {
    const cmp = comparisons[c];
    if (!cmp.known(a, b)) {
      out[c] = -1;
      continue;
    }
    let l = 0;
    while (!cmp.levels[l].test(a, b)) l++;
    out[c] = l;
  }
  return out;
}

// ── The model: parameters, scoring, explanation ────────────────────────────────────────────────

export type LevelParams = { m: number; u: number };

export type MatchModel = {
  version: number;
  /** When the parameters were estimated; null for the starting values. */
  trainedAt: number | null;
  /** Source records the estimate was made on. */
  records: number;
  /** Probability that two records drawn at random from the store are one person. */
  lambda: number;
  comparisons: Record<ComparisonName, Record<string, LevelParams>>;
  /** Share of records holding each common value; values not listed are rarer than `floor`. */
  tf: Record<TfField, { values: Record<string, number>; floor: number }>;
  /** How the parameters were obtained, for the head office page. */
  notes?: string[];
  /**
   * How often strangers who agree on one household field at a level also agree on another at a
   * level, `${field}.${level}|${other}.${level}` (see householdKey); absent: assumed always (a
   * second household agreement then adds nothing).
   */
  household?: Record<string, number>;
  /**
   * Of the store's strangers who share a postcode, the share who are family sharing a surname
   * beyond chance (familyShare); absent or 0: surnames are taken to fall independently of where
   * people live.
   */
  family?: number;
};

/** The starting model: the levels' own m and u, and a prior of one in 100,000 pairs. */
export function defaultModel(): MatchModel {
  const comparisons = {} as MatchModel["comparisons"];
  for (const c of COMPARISONS) comparisons[c.name] = Object.fromEntries(c.levels.map((l) => [l.key, { m: l.m, u: l.u }]));
  const emptyTf = { values: {}, floor: 0 };
  return { version: 0, trainedAt: null, records: 0, lambda: 1e-5, comparisons, tf: { first: emptyTf, last: emptyTf, city: emptyTf } };
}

export const log2 = Math.log2;

/** The weight of a level: log2(m/u). */
export function levelWeight(model: MatchModel, comparison: ComparisonName, level: string): number {
  const p = model.comparisons[comparison][level];
  return log2(p.m / p.u);
}

/** A value with each of its letters left out in turn: two values one slip apart share one of these, or one is the other's. */
function deletions(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) out.push(value.slice(0, i) + value.slice(i + 1));
  return out;
}

type SlipIndex = { byKey: Map<string, string[]>; weighed: Map<string, number> };

/**
 * Per model and field: the table's values by deletion key (symmetric-delete lookup), and the
 * frequency each value weighs at, once worked out. Keyed by the model's version and date, not the
 * object: the model is read from the store afresh for each batch.
 */
const slipIndexes = new Map<string, SlipIndex>();
const WEIGHED_CACHE = 200_000;

function slipIndex(model: MatchModel, field: TfField): SlipIndex {
  const key = `${model.version}:${model.trainedAt}:${model.records}:${field}`;
  let index = slipIndexes.get(key);
  if (!index) {
    const byKey = new Map<string, string[]>();
    const add = (k: string, value: string) => {
      const list = byKey.get(k);
      if (list) list.push(value);
      else byKey.set(k, [value]);
    };
    for (const value of Object.keys(model.tf[field].values)) {
      add(value, value);
      for (const k of deletions(value)) add(k, value);
    }
    index = { byKey, weighed: new Map() };
    // A handful of models at most (a retrain while a batch runs): forget the old ones.
    if (slipIndexes.size >= 6) slipIndexes.clear();
    slipIndexes.set(key, index);
  }
  return index;
}

/**
 * Whether `rarer` is no commoner than slips of `commoner` can make it: the model's m for the close
 * level is the share of one person's records whose name is a slip from their other records', so a
 * name held at frequency f makes its slips, all of them together, at most m·f of the store.
 */
const slipFrequency = (model: MatchModel, field: TfField, rarer: number, commoner: number) => rarer <= model.comparisons[field].close.m * commoner;

/**
 * The frequency agreement on a value weighs at: its own, or that of the commonest value one slip
 * from it (Damerau-Levenshtein 1) of which it can be a slip (slipFrequency). Splink's adjustment
 * keeps m as it is for every value, which is wrong for a slip: "Ptael" is rare only because it is
 * Patel mistyped, so two records reading "Ptael" are as likely two Patels mistyped alike as one
 * person typed twice the same wrong way (one person's other records read Patel), and agreeing on it
 * tells no more than agreeing on Patel. A name common in its own right beside a commoner one
 * (Davis, Davies) keeps its own frequency.
 */
function weighedFrequency(model: MatchModel, field: TfField, value: string): number {
  const table = model.tf[field];
  const index = slipIndex(model, field);
  const known = index.weighed.get(value);
  if (known !== undefined) return known;
  const own = table.values[value] ?? 0;
  let freq = own;
  for (const key of [value, ...deletions(value)]) {
    for (const other of index.byKey.get(key) ?? []) {
      const f = table.values[other];
      if (f > freq && slipFrequency(model, field, own, f) && damerauLevenshtein(value, other) <= 1) freq = f;
    }
  }
  if (index.weighed.size >= WEIGHED_CACHE) index.weighed.clear();
  index.weighed.set(value, freq);
  return freq;
}

/**
 * Splink's term-frequency adjustment: exact agreement on value x has u = frequency of x, so the
 * level's weight moves by log2(u_exact / tf(x)); x weighs at the commonest value one slip from it
 * (weighedFrequency). Values rarer than every listed one count as the floor.
 */
export function tfAdjustment(model: MatchModel, field: TfField, value: string): number {
  const table = model.tf[field];
  if (!table || table.floor === 0) return 0;
  // The floor is the commonest a value outside the table can be, and never less than twice in the
  // store: two records that agree on a value hold it twice, whatever the table counted before them.
  const freq = Math.max(weighedFrequency(model, field, value), table.floor);
  const uExact = model.comparisons[field].exact.u;
  return log2(uExact / freq);
}

/** Exact agreement's weight on the commoner of two values. */
function exactWeight(model: MatchModel, field: TfField, a: string, b: string): number {
  return levelWeight(model, field, "exact") + Math.min(tfAdjustment(model, field, a), tfAdjustment(model, field, b));
}

export type ScoredPair = {
  weight: number;
  probability: number;
  /** Level index per comparison (-1 missing). */
  levels: Int8Array;
  parts: MatchEvidencePart[];
};

export const priorWeight = (model: MatchModel) => log2(model.lambda / (1 - model.lambda));
export const probabilityOf = (weight: number) => 1 / (1 + 2 ** -weight);

/**
 * Where a person lives and the number their home answers to are shared by everyone in the home, so
 * their agreements are not independent pieces of evidence: a family agrees on all four at once. The
 * model's sum assumes independence (Fellegi–Sunter), so agreements within this group count at the
 * strongest of them, as one comparison of "the same household" would, plus at most one more by what
 * it adds given the strongest: log2(m / u'), where u' is how often the store's strangers who agree
 * on the strongest also agree on it (model.household). Where a postcode always comes with its city
 * (one town per postcode) u' is 1 and the city adds nothing; where the two vary apart, as in a file
 * whose addresses were keyed with typos, the second agreement is evidence of its own.
 * Disagreements still add.
 */
export const HOUSEHOLD_FIELDS: readonly ComparisonName[] = ["phone", "postcode", "address", "city"];
const HOUSEHOLD = COMPARISONS.map((c) => HOUSEHOLD_FIELDS.includes(c.name));
const PHONE = COMPARISONS.findIndex((c) => c.name === "phone");
const PHONE_DIGIT = COMPARISONS[PHONE].levels.findIndex((l) => l.key === "digit");
/**
 * Whether a comparison (at a level, if given) is one of the household's shared facts. Not a mobile
 * one digit off another: a household shares its landline, while a mobile is one person's, and a
 * neighbour's record holds it mistyped no more often than a stranger's does.
 */
export const isHousehold = (c: number, level?: number) => HOUSEHOLD[c] && !(c === PHONE && level === PHONE_DIGIT);

export const householdKey = (strongest: number, strongestLevel: number, other: number, otherLevel: number) =>
  `${COMPARISONS[strongest].name}.${COMPARISONS[strongest].levels[strongestLevel].key}|${COMPARISONS[other].name}.${COMPARISONS[other].levels[otherLevel].key}`;

/** What a second household agreement adds beside the strongest: (strongest, its level, other, its level) → weight ≥ 0. */
export type HouseholdExtra = (strongest: number, strongestLevel: number, other: number, otherLevel: number) => number;

/** The model's HouseholdExtra, given m per comparison and level (the model's own, or EM's current estimate). */
export function householdExtra(household: Record<string, number> | undefined, m: (c: number, l: number) => number): HouseholdExtra {
  return (s, ls, k, lk) => {
    const u = household?.[householdKey(s, ls, k, lk)];
    return u === undefined ? 0 : Math.max(0, log2(m(k, lk) / u));
  };
}

const [FIRST, LAST] = [0, 1];
const SWAPPED = [FIRST, LAST].map((c) => COMPARISONS[c].levels.findIndex((l) => l.key === "swapped"));
/** A swap is one fact about the whole name, seen by both name comparisons: it counts once, with the first name. */
const swapSeenTwice = (levels: ArrayLike<number>) => levels[FIRST] === SWAPPED[0] && levels[LAST] === SWAPPED[1];

/** First-name levels that are two names rather than one name mistyped: "Amir" and "Amelia" are alike by Jaro-Winkler, not a slip. */
const UNLIKE_FIRST_NAMES = new Set(["similar", "else"]);
const UNLIKE_FIRST = new Set(COMPARISONS[FIRST].levels.flatMap((l, i) => (UNLIKE_FIRST_NAMES.has(l.key) ? [i] : [])));
const FIRST_CLOSE = COMPARISONS[FIRST].levels.findIndex((l) => l.key === "close");
const FIRST_ELSE = COMPARISONS[FIRST].levels.findIndex((l) => l.key === "else");
const EMAIL = COMPARISONS.findIndex((c) => c.name === "email");

/**
 * Two people on one phone number or one email address are a household, and a household shares its
 * surname (partners, parents and children): beside an exact phone or email agreement and two first
 * names, the surname tells a person from their partner nothing, so it adds nothing. So too beside
 * two mobiles one digit apart: a family's contracts bought together have numbers in a row. Where
 * the first names agree or are one name mistyped, it counts as ever.
 */
const householdSurname = (levels: ArrayLike<number>, weights: ArrayLike<number>) =>
  UNLIKE_FIRST.has(levels[FIRST]) && weights[LAST] > 0 && sharedContact(levels, weights) !== null;

/** The phone (exact, or mobiles in a row) or email the pair shares, if any. */
function sharedContact(levels: ArrayLike<number>, weights: ArrayLike<number>): "phone" | "mobiles" | "email" | null {
  if (levels[PHONE] === 0 && weights[PHONE] > 0) return "phone";
  if (levels[PHONE] === PHONE_DIGIT && weights[PHONE] > 0) return "mobiles";
  return levels[EMAIL] === 0 && weights[EMAIL] > 0 ? "email" : null;
}

const BIRTH = COMPARISONS.findIndex((c) => c.name === "birth");
/**
 * Of two people sharing a home who are not one person, about one pair in 300 are twins (one pair in
 * five living together is brothers and sisters, and about one such pair in sixty is twins): there,
 * with two first names, a shared birthday weighs no more than log2(300). A stated prior, not an
 * estimate: a store's records cannot tell twins from one person.
 */
export const TWIN_CEILING = Math.log2(300);

/**
 * Born the same day, at one home or on one phone or email, with first names that have nothing in
 * common and each with an email or a number of their own: twins, as often as not one person. Not
 * names alike (Danny and Daniel are one person's), and not two records that only name two people
 * (a first name mistyped beyond recognition, with nothing else to tell).
 */
const twinBirthday = (levels: ArrayLike<number>, weights: ArrayLike<number>) =>
  levels[BIRTH] === 0 &&
  weights[BIRTH] > TWIN_CEILING &&
  levels[FIRST] === FIRST_ELSE &&
  (sameHome(levels, weights) || sharedContact(levels, weights) !== null) &&
  [EMAIL, PHONE].some((c) => levels[c] >= 0 && weights[c] < 0);

const LAST_EXACT = COMPARISONS[LAST].levels.findIndex((l) => l.key === "exact");
const HOME = ["postcode", "address"].map((name) => {
  const c = COMPARISONS.findIndex((cmp) => cmp.name === name);
  return [c, COMPARISONS[c].levels.findIndex((l) => l.key === "exact")];
});

/** Whether the pair agrees exactly on a postcode or an address: lives at one home. */
const sameHome = (levels: ArrayLike<number>, weights: ArrayLike<number>) => HOME.some(([c, exact]) => levels[c] === exact && weights[c] > 0);

/**
 * What a surname agreement weighs when the two live at one postcode or address: family live
 * together and share a surname, so there a stranger agrees on it far more often than its frequency
 * says. Of the strangers at one home a share h (model.family) are family, who agree on the surname
 * whatever it is; the rest agree by chance, at u_v (the value's own u, from its weight w = log2(m /
 * u_v)). So w' = log2(m / (h + (1 − h)·u_v)). Only exact agreement: a family's surname is one.
 */
export type FamilySurname = (surnameWeight: number) => number;

/** For head office: the most a surname agreement weighs at one home, for the rarest surname (log2(m / h)). */
export const familyCeiling = (model: MatchModel) => log2(model.comparisons.last.exact.m / (model.family ?? 0));

function familySurnameOf(model: MatchModel): FamilySurname | undefined {
  const h = model.family ?? 0;
  if (!(h > 0)) return undefined;
  const m = model.comparisons.last.exact.m;
  return (w) => Math.min(w, -log2(h / m + (1 - h) * 2 ** -w));
}

/**
 * For head office: what each exact household agreement adds beside a stronger exact one (0: nothing,
 * the store's strangers share both together). Beside a weaker one it is the strongest itself.
 */
export function householdCredits(model: MatchModel): { strongest: ComparisonName; other: ComparisonName; weight: number }[] {
  const extra = householdExtra(model.household, (c, l) => model.comparisons[COMPARISONS[c].name][COMPARISONS[c].levels[l].key].m);
  const out: { strongest: ComparisonName; other: ComparisonName; weight: number }[] = [];
  COMPARISONS.forEach((s, si) =>
    COMPARISONS.forEach((k, ki) => {
      if (si === ki || !HOUSEHOLD[si] || !HOUSEHOLD[ki]) return;
      const own = levelWeight(model, k.name, "exact");
      if (own > levelWeight(model, s.name, "exact")) return;
      out.push({ strongest: s.name, other: k.name, weight: Math.min(own, extra(si, 0, ki, 0)) });
    }),
  );
  return out;
}

/**
 * The pair's weight from each comparison's level (-1 not compared) and weight, and the prior:
 * agreements among the household fields count at the strongest, plus at most one more by `extra`
 * (none without it), a swapped name counts once, and a surname agreed at one home counts by
 * `family` (as ever without it). `applied` (optional) receives the weight each comparison added to
 * the sum (NaN where it was not compared).
 */
export function combineWeights(
  levels: ArrayLike<number>,
  weights: ArrayLike<number>,
  prior: number,
  applied?: Float64Array,
  extra?: HouseholdExtra,
  family?: FamilySurname,
): number {
  let total = prior;
  let strongest = -1;
  const skipLast = swapSeenTwice(levels) || householdSurname(levels, weights);
  applied?.fill(NaN);
  for (let c = 0; c < weights.length; c++) {
    let w = weights[c];
    if (Number.isNaN(w)) continue;
    if (applied) applied[c] = 0;
    if (skipLast && c === LAST) continue;
    if (c === LAST && family && levels[c] === LAST_EXACT && w > 0 && sameHome(levels, weights)) w = family(w);
    if (c === BIRTH && twinBirthday(levels, weights)) w = TWIN_CEILING;
    if (isHousehold(c, levels[c]) && w > 0) {
      if (strongest < 0 || w > weights[strongest]) strongest = c;
      continue;
    }
    total += w;
    if (applied) applied[c] = w;
  }
  if (strongest < 0) return total;
  total += weights[strongest];
  if (applied) applied[strongest] = weights[strongest];
  if (!extra) return total;
  let second = -1;
  let secondWeight = 0;
  for (let c = 0; c < weights.length; c++) {
    if (c === strongest || !isHousehold(c, levels[c]) || !(weights[c] > 0)) continue;
    // Never more than the agreement weighs on its own.
    const w = Math.min(weights[c], extra(strongest, levels[strongest], c, levels[c]));
    if (w > secondWeight) [second, secondWeight] = [c, w];
  }
  if (second >= 0) {
    total += secondWeight;
    if (applied) applied[second] = secondWeight;
  }
  return total;
}

type PairWeights = { levels: Int8Array; weights: Float64Array };

/**
 * Two first names close (one slip apart, or alike by Jaro-Winkler) that are each a name of the
 * store's, not one the other mistyped: Sofia and Zofia, Sean and Siân, but also Sara and Sarah, one
 * person's name spelled two ways as often as two people's. Their closeness counts neither for nor
 * against. The rarer is a name of its own when it is commoner than slips of the other can make it
 * (slipFrequency) and held by more records than the floor (two). Only a model estimated on the
 * store knows the frequencies.
 */
function twoFirstNames(model: MatchModel, x: string, y: string): boolean {
  const table = model.tf.first;
  if (!table || table.floor === 0) return false;
  const [fx, fy] = [table.values[x] ?? 0, table.values[y] ?? 0];
  const [rarer, commoner] = fx < fy ? [fx, fy] : [fy, fx];
  return rarer > table.floor && !slipFrequency(model, "first", rarer, commoner);
}

/** Each comparison's level and weight for two records: level -1 and weight NaN where it is not compared. */
function pairWeights(model: MatchModel, a: MatchRecord, b: MatchRecord): PairWeights {
  const levels = levelsOf(a, b);
  const weights = new Float64Array(COMPARISONS.length).fill(NaN);
  for (let c = 0; c < COMPARISONS.length; c++) {
    const l = levels[c];
    if (l < 0) continue;
    const cmp = COMPARISONS[c];
    const level = cmp.levels[l];
    weights[c] = levelWeight(model, cmp.name, level.key);
    if (cmp.tf && level.key === "exact") weights[c] += tfAdjustment(model, cmp.tf, a[cmp.tf]);
    // "Londdon" / "London" is London mistyped: never more than agreeing on London itself.
    if (cmp.tf && level.key === "close") weights[c] = Math.min(weights[c], exactWeight(model, cmp.tf, a[cmp.tf], b[cmp.tf]));
    if (c === FIRST && l === FIRST_CLOSE && twoFirstNames(model, a.first, b.first)) weights[c] = Math.min(weights[c], 0);
  }
  return { levels, weights };
}

const householdExtraOf = (model: MatchModel) =>
  householdExtra(model.household, (c, l) => model.comparisons[COMPARISONS[c].name][COMPARISONS[c].levels[l].key].m);

/** The weights added up; with `pairOf` (the two records each comparison was made on), each level in plain words too. */
function scored(model: MatchModel, { levels, weights }: PairWeights, pairOf?: (c: number) => [MatchRecord, MatchRecord]): ScoredPair {
  const applied = pairOf ? new Float64Array(COMPARISONS.length) : undefined;
  const weight = combineWeights(levels, weights, priorWeight(model), applied, householdExtraOf(model), familySurnameOf(model));
  const parts: MatchEvidencePart[] = [];
  for (let c = 0; pairOf && c < COMPARISONS.length; c++) {
    const l = levels[c];
    if (l < 0) continue;
    const level = COMPARISONS[c].levels[l];
    const [x, y] = pairOf(c);
    const text =
      c === FIRST && l === FIRST_CLOSE && twoFirstNames(model, x.first, y.first) ? `${level.text(x, y)} (each a name of its own here)` : level.text(x, y);
    const w = applied![c];
    parts.push({
      comparison: COMPARISONS[c].name,
      level: level.key,
      text: w === weights[c] ? text : `${text} (${partNote(c, w, levels, weights)})`,
      weight: Math.round(w * 10) / 10,
    });
  }
  return { weight, probability: probabilityOf(weight), levels, parts };
}

/**
 * Two records' weight with their surnames left out, and whether the surnames agree exactly: how
 * likely two people at one home are one person whatever their surnames (model.family is estimated
 * from it).
 */
export function weightBesideSurname(model: MatchModel, a: MatchRecord, b: MatchRecord): { weight: number; surnames: "same" | "other" | null } {
  const { levels, weights } = pairWeights(model, a, b);
  const surnames = levels[LAST] < 0 ? null : levels[LAST] === LAST_EXACT ? "same" : "other";
  weights[LAST] = NaN;
  return { weight: combineWeights(levels, weights, priorWeight(model), undefined, householdExtraOf(model)), surnames };
}

/** Scores two records; with `explain`, each comparison's level in plain words too. */
export function scorePair(model: MatchModel, a: MatchRecord, b: MatchRecord, explain = false): ScoredPair {
  return scored(model, pairWeights(model, a, b), explain ? () => [a, b] : undefined);
}

/** Why a comparison added less than its level weighs. */
function partNote(c: number, applied: number, levels: ArrayLike<number>, weights: ArrayLike<number>): string {
  if (c === LAST) {
    if (swapSeenTwice(levels)) return "the same swap, counted once";
    if (!householdSurname(levels, weights)) return "at one home, where strangers who share a surname are often family";
    const shared = sharedContact(levels, weights);
    if (shared === "mobiles") return "a family's mobiles in a row, with two first names: counts nothing";
    return `a household's on one ${shared === "email" ? "email" : "phone"}, with two first names: counts nothing`;
  }
  if (c === BIRTH) return "two first names at one home, where twins share a birthday: counts less";
  return applied === 0 ? "same household, counted once" : "same household: what strangers sharing the rest of it share less often";
}

export function evidenceOf(model: MatchModel, scored: ScoredPair): MatchEvidence {
  return {
    modelVersion: model.version,
    prior: Math.round(priorWeight(model) * 10) / 10,
    weight: Math.round(scored.weight * 10) / 10,
    probability: scored.probability,
    parts: scored.parts,
  };
}

/** "born the same day +6.8" */
export function describePart(part: MatchEvidencePart): string {
  const sign = part.weight >= 0 ? "+" : "−";
  return `${part.text} ${sign}${Math.abs(part.weight).toFixed(1)}`;
}

// ── Decisions ─────────────────────────────────────────────────────────────────────────────────

export type MatchThresholds = {
  /** From this probability a pair is merged without asking (absent a guard-rail conflict). */
  automatic: number;
  /** From this probability up to the automatic one a pair goes to the review queue. */
  review: number;
};

/**
 * Fixed by rule, not tuned on any labelled set: automatic at 0.99 (odds of 99 to 1), review from
 * 0.5 (more likely one person than not), Splink's own default cut-off.
 */
export const DEFAULT_THRESHOLDS: MatchThresholds = { automatic: 0.99, review: 0.5 };

/**
 * What can never be merged automatically whatever the weights: a person decides. `another_customer`:
 * the record matches customers who are not one person, so its claim is shared between them (resolve.ts).
 */
export type GuardConflict =
  "different_loyalty" | "woman_and_man" | "woman_or_man" | "same_source_phone" | "different_birth_date" | "different_first_name" | "another_customer";

/**
 * What tells two members of one household apart (they share a surname, an address, a phone): a
 * loyalty card of their own, another birth year (more than two typing slips away: a parent and a
 * child, not a mistyped date), or another first name (not the same, close, swapped or its initial)
 * where the birth date does not say otherwise. Loyalty cards are checked over every pair of records
 * (a profile never holds two people's cards), always.
 * Two customers of one source system on one phone number are two people as far as that system knows:
 * it had the number on file and registered someone else with it (a household's landline), so they
 * are merged without a person only where something one person holds alone agrees (a birth date or a
 * loyalty card: a second web account opened with a new email), however alike their names.
 * Checked over every pair, always.
 * A woman's first name and a man's that look alike, on any two records of the two sides (Paula and
 * Paul, Louise and Louis: one letter apart, which the name comparison counts as close), unless they
 * were born the same day: a couple at one home, whatever the weights say, as no model can tell that
 * pair from a slip by the letters. Always: a trained model knows which names the store holds, not
 * whose they are. A slip that happens to make a name of the other sex (Ian and Ina) is put to a
 * person, not kept apart.
 * Birth year and first name are checked on the pair that carries the match, and only while the
 * model is the untrained starting one (`weighed` false): its weights for those disagreements are
 * guesses, whereas a model estimated on the store weighs them by how often its own matches disagree.
 */
export function guardConflict(a: MatchRecord[], b: MatchRecord[], best: [MatchRecord, MatchRecord], weighed = false): GuardConflict | null {
  for (const x of a) for (const y of b) if (x.loyalty && y.loyalty && x.loyalty !== y.loyalty) return "different_loyalty";
  const sexes = womanAndMan(a, b);
  if (sexes) return sexes === "sure" ? "woman_and_man" : "woman_or_man";
  // What tells the reviewer most goes first: two first names say more than the source's word.
  const disagreement = weighed ? null : householdDisagreement(best);
  if (disagreement) return disagreement;
  const sourceSharesPhone = a.some((x) => x.phone && b.some((y) => y.phone === x.phone && y.sourceId === x.sourceId && y.id !== x.id));
  return sourceSharesPhone && !vouched(a, b) ? "same_source_phone" : null;
}

const ALIKE_FIRST = new Set(COMPARISONS[FIRST].levels.flatMap((l, i) => (l.key === "close" || l.key === "similar" ? [i] : [])));

/**
 * A woman's first name and a man's (or maybe so) that the name comparison finds close or alike, on
 * any two records of the two sides not born the same day: the pair that carries the match may be a
 * record without a name (Paul's web account, which Paula's record shares an email with). A name one
 * side already holds is not held against it (a profile a person merged with Paul's and Paula's).
 */
function womanAndMan(a: MatchRecord[], b: MatchRecord[]): "sure" | "maybe" | null {
  let found: "maybe" | null = null;
  const [namesA, namesB] = [new Set(a.map((x) => x.first)), new Set(b.map((y) => y.first))];
  for (const x of a) {
    if (x.first === "" || namesB.has(x.first)) continue;
    for (const y of b) {
      if (y.first === "" || (x.birth !== "" && x.birth === y.birth) || namesA.has(y.first)) continue;
      const sexes = sexesOf(x.first, y.first);
      if (!sexes || !ALIKE_FIRST.has(levelsOf(x, y, [COMPARISONS[FIRST]])[0])) continue;
      if (sexes === "sure") return "sure";
      found = sexes;
    }
  }
  return found;
}

/** Another birth year, or another first name where the birth date does not say otherwise, on the pair that carries the match. */
function householdDisagreement([x, y]: [MatchRecord, MatchRecord]): GuardConflict | null {
  const bothBorn = x.birth !== "" && y.birth !== "";
  if (bothBorn && birthsApart(x.birth, y.birth)) return "different_birth_date";
  if (!(bothBorn && x.birth === y.birth) && unlikeFirstNames(x, y)) return "different_first_name";
  return null;
}

/** Two first names that are neither one nor close, nor one the other's initial: two people's. */
export function unlikeFirstNames(x: MatchRecord, y: MatchRecord): boolean {
  const first = COMPARISONS[0];
  return first.known(x, y) && UNLIKE_FIRST_NAMES.has(first.levels[levelsOf(x, y, [first])[0]].key) && !isInitial(x.first, y.first);
}

/** Whether a birth date or a loyalty card, which household members do not share, agrees between the two sides. */
function vouched(a: MatchRecord[], b: MatchRecord[]): boolean {
  for (const x of a) for (const y of b) if ((x.birth && x.birth === y.birth) || (x.loyalty && x.loyalty === y.loyalty)) return true;
  return false;
}

/** Whether the model's own weights decide birth-date and first-name disagreements (see guardConflict): once it is estimated on the store. */
export const weighsDisagreements = (model: MatchModel) => model.trainedAt !== null;

export const GUARD_CONFLICT_TEXT: Record<GuardConflict, string> = {
  different_loyalty: "different loyalty cards",
  woman_and_man: "a woman's first name and a man's",
  woman_or_man: "first names that can be a woman's and a man's",
  same_source_phone: "one source holds them as two customers on one phone",
  different_birth_date: "different birth dates",
  different_first_name: "different first names",
  another_customer: "another customer matches as well",
};

const FALLBACK = COMPARISONS.map((c) => c.levels.map((l) => l.fallback === true));

/** Whether a pair's level of comparison c beats the best so far: a fallback level only ever beats another. */
function outranks(c: number, level: number, weight: number, bestLevel: number, bestWeight: number): boolean {
  const [fallback, bestFallback] = [FALLBACK[c][level], FALLBACK[c][bestLevel]];
  return fallback === bestFallback ? weight > bestWeight : bestFallback;
}

/** The match between two profiles; `a` and `b` are the pair of records that scores highest on its own (the guard rails look at it). */
export type ProfileMatch = { best: ScoredPair; a: MatchRecord; b: MatchRecord };

/**
 * Two profiles (or a record and a profile) compared on everything each holds: every comparison at
 * the best level any pair of their records reaches, as a person would read two customer cards. A
 * profile's second phone number or old address is still that person's, so one agreeing value is
 * enough; a disagreement counts only when none of them agrees, and a fallback level (a landline
 * beside a mobile) only when no pair compares otherwise. (Scoring the single best pair of
 * records instead lets a record that lacks a phone speak for a profile whose phones all differ.)
 * The name is one fact: first and last name come from the same pair, where a swap is seen by both;
 * a pair that compares both names speaks for the name before one that compares only one.
 */
export function scoreProfiles(model: MatchModel, a: MatchRecord[], b: MatchRecord[]): ProfileMatch | null {
  if (a.length === 0 || b.length === 0) return null;
  const best: PairWeights = { levels: new Int8Array(COMPARISONS.length).fill(-1), weights: new Float64Array(COMPARISONS.length).fill(NaN) };
  const from: [MatchRecord, MatchRecord][] = [];
  const prior = priorWeight(model);
  const extra = householdExtraOf(model);
  const family = familySurnameOf(model);
  let carrier: [MatchRecord, MatchRecord] = [a[0], b[0]];
  let carrierWeight = -Infinity;
  let nameWeight = -Infinity;
  let namesCompared = 0;
  const take = (p: PairWeights, c: number, pair: [MatchRecord, MatchRecord]) => {
    best.levels[c] = p.levels[c];
    best.weights[c] = p.weights[c];
    from[c] = pair;
  };
  for (const x of a) {
    for (const y of b) {
      const p = pairWeights(model, x, y);
      const pair: [MatchRecord, MatchRecord] = [x, y];
      const weight = combineWeights(p.levels, p.weights, prior, undefined, extra, family);
      if (weight > carrierWeight) [carrier, carrierWeight] = [pair, weight];
      if (p.levels[FIRST] >= 0 || p.levels[LAST] >= 0) {
        const name = (p.weights[FIRST] || 0) + (swapSeenTwice(p.levels) ? 0 : p.weights[LAST] || 0);
        // A pair that compares both names outranks one that compares one: an app account without a
        // surname must not hide that the profile's other records name another surname.
        const compared = (p.levels[FIRST] >= 0 ? 1 : 0) + (p.levels[LAST] >= 0 ? 1 : 0);
        if (compared > namesCompared || (compared === namesCompared && name > nameWeight)) {
          namesCompared = compared;
          nameWeight = name;
          take(p, FIRST, pair);
          take(p, LAST, pair);
        }
      }
      for (let c = 0; c < COMPARISONS.length; c++) {
        if (c === FIRST || c === LAST || p.levels[c] < 0) continue;
        if (best.levels[c] < 0 || outranks(c, p.levels[c], p.weights[c], best.levels[c], best.weights[c])) take(p, c, pair);
      }
    }
  }
  return { best: scored(model, best, (c) => from[c]), a: carrier[0], b: carrier[1] };
}
