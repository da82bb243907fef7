/** A full date written year first, YYYYMMDD, from 1500 to 2999. */
const YEAR_FIRST = /^(1[5-9]|2\d)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** What systems fill in when they must have a birth date and were not given one. */
const FILLERS = new Set(["19000101", "19010101"]);

/**
 * Birth dates compared by their digits, so 1971-06-24 from one system and 19710624 from another
 * agree; a year alone is kept as its four digits. What no one living was born on counts as not
 * known (null): words ("unknown"), zeros, a filler date (1900-01-01), a year-first date before 1900
 * or after `today`. Two records holding the same placeholder are not thereby one person.
 */
export function canonicalBirthDate(raw: string | null | undefined, today = Date.now()): string | null {
  if (!raw) return null;
  const digits = raw.replace(/\D/g, "");
  if (digits.length === 4) return Number(digits) >= 1900 && Number(digits) <= new Date(today).getUTCFullYear() ? digits : null;
  if (digits.length < 6 || /^0+$/.test(digits) || FILLERS.has(digits)) return null;
  // A day-first date (02/03/1985) is kept as given.
  if (YEAR_FIRST.test(digits)) {
    const year = Number(digits.slice(0, 4));
    if (year < 1900 || Date.UTC(year, Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) > today) return null;
  }
  return digits;
}
