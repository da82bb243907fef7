import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import metadata from "libphonenumber-js/metadata.max.json";
import { z } from "zod";
import type { IdentifierType } from "@/db/schema";
import { BoundedCache } from "@/lib/memo";
import { canonicalBirthDate, isBirthDate } from "./link";

/**
 * The one place where raw contact data becomes identifiers. Everything that links or looks up
 * customers goes through these functions, so a phone typed at the till and one typed online meet.
 */

export type IdentitySettings = {
  defaultCountry: CountryCode;
  loyalty: LoyaltyScheme;
  /** Normalised values that must never link two people (placeholders, the stores' own phones). */
  blocked: { email: string[]; phone: string[]; loyalty: string[] };
  /** Local parts that mark an address as a placeholder whatever its domain (noemail@…, none@…). */
  blockedEmailLocalParts: string[];
  /** An identifier already owned by more profiles than this stops linking (a shop phone, a shared junk email). */
  maxProfilesPerIdentifier: number;
  /** Match probabilities from which the model merges on its own, and from which it asks a person. */
  matchThresholds: { automatic: number; review: number };
};

export type LoyaltyScheme = {
  prefix: string;
  digits: number;
  checkDigit: "luhn" | "none";
};

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  defaultCountry: "GB",
  loyalty: { prefix: "CL", digits: 10, checkDigit: "luhn" },
  blocked: { email: [], phone: [], loyalty: [] },
  maxProfilesPerIdentifier: 3,
  // Set once by rule, never tuned on labelled data: odds of 99 to 1 to merge unasked; more likely
  // one person than not (Splink's usual cut-off) to ask a reviewer.
  matchThresholds: { automatic: 0.99, review: 0.5 },
  blockedEmailLocalParts: [
    "noemail",
    "no-email",
    "no.email",
    "none",
    "noreply",
    "no-reply",
    "donotreply",
    "test",
    "unknown",
    "na",
    "n/a",
    "nomail",
    "x",
    "xx",
    "xxx",
  ],
};

export type Identifier = { type: IdentifierType; value: string };

/**
 * zod's default address pattern with letters and digits of any script (RFC 6531: "josé@correo.es",
 * "王@例子.中国"), so an address a customer really has is an identifier, and found at the counter.
 */
const LETTER = String.raw`\p{L}\p{M}\p{N}`;
const emailSchema = z.email({
  pattern: new RegExp(String.raw`^(?:[${LETTER}_'+\-]+\.)*[${LETTER}_'+\-]*[${LETTER}_+-]@(?:[${LETTER}][${LETTER}\-]*\.)+\p{L}{2,}$`, "u"),
});

export function normalizeEmail(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // One form for "é" typed as one character or as "e" and an accent.
  const email = raw.trim().normalize("NFC").toLowerCase();
  return emailSchema.safeParse(email).success ? email : null;
}

/** Parsing is the dearest step of ingest, and each number comes back (other sources, survivorship, lookups). */
const phoneCache = new BoundedCache<string, string | null>(100_000);
/**
 * Spaces, hyphens and brackets are only layout to the parser, so numbers written with and without
 * them share one entry: "(07700) 900-123" and "07700 900123" are parsed once.
 */
const PHONE_LAYOUT = /[\s()-]/g;

/**
 * UK numbers whose national significant number is a 7 and nine digits (mobiles, pagers, personal
 * numbers), as tills and forms write them: 07…, +447…, 00447… or 7… alone. Most customers give one,
 * and libphonenumber's parse of each is the dearest step of a bulk load.
 */
const UK_SEVEN = /^(?:\+44|0044|0)?(7\d{9})$/;

let ukSevenPatterns: RegExp[] | undefined;

/**
 * Whether libphonenumber holds such a number valid, decided as it decides: the number is valid when
 * it fully matches a number type's pattern (of ten-digit numbers) in one of the countries sharing
 * +44, read from the same metadata. normalize.test.ts checks it against the parse over every prefix.
 */
function ukSevenValid(nationalNumber: string): boolean {
  ukSevenPatterns ??= metadata.country_calling_codes["44"].flatMap((country) => {
    const [, , , lengths, , , , , , , , types] = (metadata.countries as unknown as Record<string, unknown[]>)[country];
    return (types as ([string, number[]?] | 0)[]).flatMap((t) => (t && (t[1] ?? (lengths as number[])).includes(10) ? [new RegExp(`^(?:${t[0]})$`)] : []));
  });
  return ukSevenPatterns.some((p) => p.test(nationalNumber));
}

/** E.164, or null when the number is not a valid number of its country (kept raw, never linked). */
export function normalizePhone(raw: string | null | undefined, defaultCountry: CountryCode): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed)) return null;
  const compact = trimmed.replace(PHONE_LAYOUT, "");
  const seven = defaultCountry === "GB" ? UK_SEVEN.exec(compact) : null;
  if (seven) return ukSevenValid(seven[1]) ? `+44${seven[1]}` : null;
  const key = `${defaultCountry} ${compact}`;
  let normalised = phoneCache.get(key);
  if (normalised === undefined) {
    const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry, extract: false });
    normalised = parsed?.isValid() ? parsed.number : null;
    phoneCache.set(key, normalised);
    // A valid number in E.164 is itself: "+44 7700 900123" from another source needs no parse.
    if (normalised) phoneCache.set(`${defaultCountry} ${normalised}`, normalised);
  }
  return normalised;
}

/**
 * A number that is not valid as written (a digit missed or added at the till), in E.164 form as
 * libphonenumber reads it; null for a valid number (normalizePhone has it), for one too short to
 * be a slip of a real number, and for one digit written over and over (a placeholder).
 */
export function mistypedPhone(raw: string | null | undefined, defaultCountry: CountryCode): string | null {
  if (!raw || !/\d/.test(raw) || normalizePhone(raw, defaultCountry)) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry, extract: false });
  if (!parsed || parsed.nationalNumber.length < 8 || /^(\d)\1*$/.test(parsed.nationalNumber)) return null;
  return parsed.number;
}

export type PhoneKind = "mobile" | "landline" | "other";

const phoneKinds = new BoundedCache<string, PhoneKind>(100_000);

/**
 * Whether a number (E.164) is a mobile or a landline, as libphonenumber's metadata says; "other"
 * for the rest, and where the numbering plan cannot tell the two apart (FIXED_LINE_OR_MOBILE).
 */
export function phoneKind(e164: string): PhoneKind {
  let kind = phoneKinds.get(e164);
  if (kind === undefined) {
    const type = parsePhoneNumberFromString(e164)?.getType();
    kind = type === "MOBILE" ? "mobile" : type === "FIXED_LINE" ? "landline" : "other";
    phoneKinds.set(e164, kind);
  }
  return kind;
}

/**
 * Tells the cache what a stored raw number normalised to when it was ingested (its phone
 * identifier), so a bulk load reading back a store of a million records does not parse each again.
 * Only a number of the default country's own calling code is taken: one read under another default
 * country (the setting changed since) is parsed again, as normalizePhone would.
 */
export function rememberPhone(raw: string, defaultCountry: CountryCode, e164: string): void {
  if (!e164.startsWith(`+${getCountryCallingCode(defaultCountry)}`)) return;
  const trimmed = raw.trim();
  phoneCache.set(`${defaultCountry} ${trimmed.replace(PHONE_LAYOUT, "")}`, e164);
}

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Canonical loyalty ID (prefix + digits), or null when it does not fit the scheme or fails its check digit. */
export function normalizeLoyaltyId(raw: string | null | undefined, scheme: LoyaltyScheme): string | null {
  if (!raw) return null;
  let compact = raw.toUpperCase().replace(/[\s\-_.]/g, "");
  if (scheme.prefix && compact.startsWith(scheme.prefix)) compact = compact.slice(scheme.prefix.length);
  if (!new RegExp(`^\\d{${scheme.digits}}$`).test(compact)) return null;
  if (scheme.checkDigit === "luhn") {
    const body = compact.slice(0, -1);
    if (luhnCheckDigit(body) !== Number(compact.at(-1))) return null;
  }
  return scheme.prefix + compact;
}

/** Builds a valid loyalty ID from a number, for enrolment and the demo generator. */
export function makeLoyaltyId(n: number, scheme: LoyaltyScheme): string {
  const bodyLength = scheme.checkDigit === "luhn" ? scheme.digits - 1 : scheme.digits;
  const body = String(n).padStart(bodyLength, "0");
  if (body.length > bodyLength) throw new Error(`loyalty number ${n} does not fit the scheme`);
  return scheme.prefix + body + (scheme.checkDigit === "luhn" ? String(luhnCheckDigit(body)) : "");
}

export function isBlocked(id: Identifier, settings: IdentitySettings): boolean {
  if (settings.blocked[id.type].includes(id.value)) return true;
  if (id.type === "email") {
    const local = id.value.slice(0, id.value.indexOf("@"));
    return settings.blockedEmailLocalParts.includes(local);
  }
  if (id.type === "phone") {
    // A number made of one repeated digit after the country code is a placeholder, not a person.
    const national = id.value.replace(/^\+\d{1,3}/, "");
    return /^(\d)\1+$/.test(national);
  }
  return false;
}

export type RawIdentity = { email?: string | null; phone?: string | null; loyaltyId?: string | null };

/** The strong identifiers a source record contributes to linking: valid, normalised and not blocked. */
export function linkableIdentifiers(raw: RawIdentity, settings: IdentitySettings): Identifier[] {
  const out: Identifier[] = [];
  const loyalty = normalizeLoyaltyId(raw.loyaltyId, settings.loyalty);
  if (loyalty) out.push({ type: "loyalty", value: loyalty });
  const email = normalizeEmail(raw.email);
  if (email) out.push({ type: "email", value: email });
  const phone = normalizePhone(raw.phone, settings.defaultCountry);
  if (phone) out.push({ type: "phone", value: phone });
  return out.filter((id) => !isBlocked(id, settings));
}

/**
 * What a record sent that the store keeps but cannot use: an email, phone number or loyalty ID that
 * is not one (or a placeholder head office blocked), a birth date no one has. The value stays on the
 * source record as sent; it never finds anyone, and a caller should know that. A number or date that
 * looks like a slip of a real one (a digit missed, 31 February) is still compared as such.
 */
export function unusableValues(raw: RawIdentity & { birthDate?: string | null }, settings: IdentitySettings): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const unused = "kept as sent, not used to find or match the customer";
  const check = (field: "email" | "phone" | "loyaltyId", type: Identifier["type"], value: string | null, what: string) => {
    if (!raw[field]?.trim()) return;
    if (value === null) out.push({ field, message: `not ${what}: ${unused}` });
    else if (isBlocked({ type, value }, settings)) out.push({ field, message: `a placeholder head office blocked: ${unused}` });
  };
  check("email", "email", normalizeEmail(raw.email), "an email address");
  const slip = (what: string) => `not ${what}: kept as sent, never used to find the customer, compared only as a slip of another record's`;
  const phone = normalizePhone(raw.phone, settings.defaultCountry);
  if (phone === null && mistypedPhone(raw.phone, settings.defaultCountry) !== null)
    out.push({ field: "phone", message: slip("a phone number that can be dialled") });
  else check("phone", "phone", phone, "a phone number that can be dialled");
  check("loyaltyId", "loyalty", normalizeLoyaltyId(raw.loyaltyId, settings.loyalty), "a loyalty ID of this programme");
  if (raw.birthDate?.trim() && !isBirthDate(raw.birthDate)) {
    out.push({ field: "birthDate", message: canonicalBirthDate(raw.birthDate) === null ? `not a birth date: ${unused}` : slip("a day that exists") });
  }
  return out;
}

/** The over-shared flag's reason, its value masked as everywhere staff read it. */
export function overSharedReason(id: Identifier, settings: IdentitySettings): string {
  return `${id.type} ${maskedValue(id.type, id.value)} is shared by more than ${settings.maxProfilesPerIdentifier} profiles, so it no longer links anyone`;
}

export type DetectedQuery =
  { kind: "identifiers"; candidates: Identifier[]; searched: string } | { kind: "name"; searched: string } | { kind: "invalid"; reason: string };

/**
 * Reads what an assistant typed or scanned into the one lookup box. A value can be both a loyalty ID
 * and a phone number (ten digits), so every plausible reading is returned and searched; letters
 * without digits are a name.
 */
export function detectLookupQuery(input: string, settings: IdentitySettings): DetectedQuery {
  const text = input.trim();
  if (text.length === 0) return { kind: "invalid", reason: "Type or scan a loyalty ID, phone number, email or name." };
  if (text.length > 200) return { kind: "invalid", reason: "That is too long to be a loyalty ID, phone number, email or name." };
  if (text.includes("@")) {
    const email = normalizeEmail(text);
    if (!email) return { kind: "invalid", reason: `"${text}" is not a valid email address.` };
    return { kind: "identifiers", candidates: [{ type: "email", value: email }], searched: email };
  }
  const candidates: Identifier[] = [];
  const loyalty = normalizeLoyaltyId(text, settings.loyalty);
  if (loyalty) candidates.push({ type: "loyalty", value: loyalty });
  const phone = normalizePhone(text, settings.defaultCountry);
  if (phone) candidates.push({ type: "phone", value: phone });
  if (candidates.length > 0) {
    return { kind: "identifiers", candidates, searched: candidates.map((c) => c.value).join(" or ") };
  }
  const compact = text.toUpperCase().replace(/[\s\-_.]/g, "");
  if (compact.startsWith(settings.loyalty.prefix) && /\d/.test(compact)) {
    return { kind: "invalid", reason: `"${text}" is not a valid loyalty ID: check the digits on the card.` };
  }
  if (/^[+\d\s()\-.]+$/.test(text)) {
    return {
      kind: "invalid",
      reason: `"${text}" is not a valid phone number for ${settings.defaultCountry}. Add the country code if it is a foreign number.`,
    };
  }
  if (/\p{L}/u.test(text) && !/\d/.test(text)) {
    if (text.replace(/[^\p{L}]/gu, "").length < 3) return { kind: "invalid", reason: "Type at least three letters of a name." };
    return { kind: "name", searched: text.replace(/\s+/g, " ") };
  }
  return { kind: "invalid", reason: `"${text}" is not a loyalty ID, phone number, email or name.` };
}

export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.indexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

/** The last four digits, whatever the number is written with: a source's "0161 969-9407" as "•••• 9407", like its E.164 form. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return `•••• ${phone.replace(/\D/g, "").slice(-4)}`;
}

/** A value as staff may read it where they compare customers: an email or phone masked (enough to compare, not to copy), anything else as it is. */
export function maskedValue(field: string, value: string): string {
  if (field === "email") return maskEmail(value) ?? value;
  if (field === "phone") return maskPhone(value) ?? value;
  return value;
}
