/**
 * Birth dates compared by their digits, so 1971-06-24 from one system and 19710624 from another
 * agree; a year alone is kept as its four digits. What no one can be born on counts as not known
 * (null): words ("unknown"), zeros, a year-first date in 1900 or before (what systems fill in when
 * they must have one) or after `today`. Two records holding the same placeholder are not thereby one
 * person.
 */
export function canonicalBirthDate(raw: string | null | undefined, today = Date.now()): string | null {
  if (!raw) return null;
  const digits = raw.replace(/\D/g, "");
  if (digits.length === 4) return Number(digits) > 1900 && Number(digits) <= new Date(today).getUTCFullYear() ? digits : null;
  if (digits.length < 6 || /^0+$/.test(digits)) return null;
  // Year first (1985-03-02); a day-first date (02/03/1985) is kept as given.
  if (digits.length === 8 && /^(1[89]|20)/.test(digits)) {
    const year = Number(digits.slice(0, 4));
    if (year <= 1900 || Date.UTC(year, Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) > today) return null;
  }
  return digits;
}
