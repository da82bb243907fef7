import fc from "fast-check";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { matchRecord } from "./match-record.fixture";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_IDENTITY_SETTINGS as S,
  detectLookupQuery,
  isBlocked,
  linkableIdentifiers,
  makeLoyaltyId,
  maskEmail,
  maskPhone,
  normalizeEmail,
  normalizeLoyaltyId,
  normalizePhone,
} from "./normalize";

/** Ways people and tills write one UK mobile number: 07412 345678. */
function ukMobileFormats(subscriber: string): string[] {
  const [a, b] = [subscriber.slice(0, 3), subscriber.slice(3)];
  return [
    `07${a}${b}`,
    `07${a} ${b}`,
    `(07${a}) ${b.slice(0, 3)}-${b.slice(3)}`,
    `+44 7${a} ${b}`,
    `+447${a}${b}`,
    `0044 7${a} ${b}`,
    `+44 (0)7${a} ${b}`,
    `7${a}${b}`,
    ` 07${a}-${b} `,
    `07${a}.${b.slice(0, 3)}.${b.slice(3)}`,
  ];
}

describe("normalizePhone", () => {
  it("gives one E.164 number for every format of one UK mobile", () => {
    // 074xx–079xx (but not 07624, the Isle of Man) are allocated mobile ranges.
    const subscriber = fc.tuple(fc.integer({ min: 4, max: 9 }), fc.stringMatching(/^[0-9]{8}$/)).map(([d, rest]) => `${d}${rest}`);
    fc.assert(
      fc.property(subscriber, (sub) => {
        const e164 = `+447${sub}`;
        const results = new Set(ukMobileFormats(sub).map((f) => normalizePhone(f, "GB")));
        expect(results).toEqual(new Set([normalizePhone(e164, "GB")]));
      }),
      { numRuns: 300 },
    );
  });

  it("decides the UK's 07 numbers without parsing them exactly as libphonenumber's parse does", () => {
    // Validity of these numbers turns on at most their first six digits (the Isle of Man's 076245[06]),
    // so every six-digit start is tried, with a suffix and a way of writing it that vary.
    const parsed = (raw: string) => {
      const p = parsePhoneNumberFromString(raw.trim(), { defaultCountry: "GB", extract: false });
      return p?.isValid() ? p.number : null;
    };
    const writings = [
      (n: string) => `0${n}`,
      (n: string) => `+44${n}`,
      (n: string) => `0044 ${n}`,
      (n: string) => n,
      (n: string) => `(0${n.slice(0, 4)}) ${n.slice(4, 7)}-${n.slice(7)}`,
    ];
    const mismatches: string[] = [];
    let valid = 0;
    for (let start = 700_000; start <= 799_999; start++) {
      const raw = writings[start % writings.length](`${start}${String((start * 7_919) % 10_000).padStart(4, "0")}`);
      const expected = parsed(raw);
      if (expected) valid++;
      if (normalizePhone(raw, "GB") !== expected) mismatches.push(raw);
    }
    expect(mismatches).toEqual([]);
    expect(valid).toBeGreaterThan(50_000);
  }, 60_000);

  it("formats a valid number to E.164", () => {
    expect(normalizePhone("07412 345678", "GB")).toBe("+447412345678");
    expect(normalizePhone("020 7946 0958", "GB")).toBe("+442079460958");
    expect(normalizePhone("+33 6 12 34 56 78", "GB")).toBe("+33612345678");
  });

  it("rejects invalid numbers as identifiers", () => {
    for (const bad of ["12345", "0000000000", "07700 900123", "not a phone", "", "+44", "+44 7412 34567899"]) {
      expect(normalizePhone(bad, "GB")).toBeNull();
    }
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = normalizePhone(s, "GB");
        expect(r === null || /^\+\d{6,15}$/.test(r)).toBe(true);
      }),
    );
  });
});

describe("normalizeEmail", () => {
  it("trims and lower-cases, and is idempotent", () => {
    expect(normalizeEmail("  Anna.Kowalski@Example.COM ")).toBe("anna.kowalski@example.com");
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const once = normalizeEmail(email);
        if (once !== null) expect(normalizeEmail(once)).toBe(once);
        const shouted = normalizeEmail(`  ${email.toUpperCase()}\t`);
        if (once !== null && shouted !== null) expect(shouted).toBe(once);
      }),
    );
  });

  it("rejects what is not an email", () => {
    for (const bad of ["anna", "anna@", "@example.com", "anna@example", "a b@example.com", "josé@", "é@é", "anna@exa mple.com", "an@na@example.com", ""])
      expect(normalizeEmail(bad)).toBeNull();
  });

  it("takes addresses in any script, in one form however the accent was typed", () => {
    expect(normalizeEmail("José.Núñez@Correo.ES")).toBe("josé.núñez@correo.es");
    expect(normalizeEmail("Jose\u0301@correo.es")).toBe("jos\u00e9@correo.es");
    expect(normalizeEmail("王小明@例子.中国")).toBe("王小明@例子.中国");
    // The match model reads an email as the identifiers do, so the two forms of "é" are one address there too.
    expect(matchRecord({ email: "Jose\u0301@correo.es" }).email).toBe(normalizeEmail("JOSÉ@correo.es"));
    expect(detectLookupQuery("JOSÉ.NÚÑEZ@correo.es", S)).toMatchObject({ kind: "identifiers", candidates: [{ type: "email", value: "josé.núñez@correo.es" }] });
  });
});

describe("loyalty IDs", () => {
  it("round-trips every number through any typing of the card", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        const id = makeLoyaltyId(n, S.loyalty);
        const digits = id.slice(2);
        for (const typed of [id, id.toLowerCase(), `cl-${digits.slice(0, 4)}-${digits.slice(4)}`, `CL ${digits.slice(0, 5)} ${digits.slice(5)}`, digits]) {
          expect(normalizeLoyaltyId(typed, S.loyalty)).toBe(id);
        }
      }),
    );
  });

  it("rejects a mistyped digit through the Luhn check", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, pos, delta) => {
        const digits = makeLoyaltyId(n, S.loyalty).slice(2).split("");
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        expect(normalizeLoyaltyId(`CL${digits.join("")}`, S.loyalty)).toBeNull();
      }),
    );
  });
});

describe("placeholders never link", () => {
  it("blocks placeholder emails and repeated-digit phones", () => {
    expect(isBlocked({ type: "email", value: "noemail@store.com" }, S)).toBe(true);
    expect(isBlocked({ type: "email", value: "none@none.com" }, S)).toBe(true);
    expect(isBlocked({ type: "phone", value: "+441111111111" }, S)).toBe(true);
    expect(isBlocked({ type: "email", value: "anna@example.com" }, S)).toBe(false);
    const settings = { ...S, blocked: { ...S.blocked, phone: ["+442079460958"] } };
    expect(linkableIdentifiers({ phone: "020 7946 0958", email: "noemail@x.com" }, settings)).toEqual([]);
  });
});

describe("detectLookupQuery", () => {
  it("reads emails, phones and cards", () => {
    expect(detectLookupQuery(" Anna@Example.com", S)).toMatchObject({ kind: "identifiers", candidates: [{ type: "email", value: "anna@example.com" }] });
    expect(detectLookupQuery("07412 345678", S)).toMatchObject({ kind: "identifiers", candidates: [{ type: "phone", value: "+447412345678" }] });
    const card = makeLoyaltyId(1000001, S.loyalty);
    expect(detectLookupQuery(card.toLowerCase(), S)).toMatchObject({ kind: "identifiers", candidates: [{ type: "loyalty", value: card }] });
  });

  it("explains bad input instead of searching", () => {
    expect(detectLookupQuery("   ", S).kind).toBe("invalid");
    expect(detectLookupQuery("anna@", S)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("not a valid email") });
    expect(detectLookupQuery("12345", S)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("not a valid phone") });
    expect(detectLookupQuery("CL12345", S)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("loyalty ID") });
    expect(detectLookupQuery("an", S)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("three letters") });
    expect(detectLookupQuery("flat 4b", S).kind).toBe("invalid");
  });

  it("reads letters as a name", () => {
    expect(detectLookupQuery("  Anna   Kowalski ", S)).toEqual({ kind: "name", searched: "Anna Kowalski" });
  });
});

describe("masking", () => {
  it("shows just enough to recognise", () => {
    expect(maskEmail("jane@gmail.com")).toBe("j•••@gmail.com");
    expect(maskPhone("+447412340123")).toBe("•••• 0123");
    expect(maskPhone("07412 340-123")).toBe("•••• 0123");
  });
});
