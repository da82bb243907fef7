/** A full date written year first, YYYYMMDD, from 1500 to 2999. */
const YEAR_FIRST = /^(1[5-9]|2\d)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** What systems fill in when they must have a birth date and were not given one. */
const FILLERS = new Set(["19000101", "19010101"]);

/**
 * Birth dates compared by their digits, so 1971-06-24 from one system and 19710624 from another
 * agree; a year alone is kept as its four digits. What no one living was born on counts as not
 * known (null): words ("unknown"), zeros, a filler date (1900-01-01), a year-first date before 1900
 * or after `today`. Two records holding the same placeholder are not thereby one person. A day
 * that does not exist (31 February, month 13) is kept for matching: it is a slip of a real date and
 * still close to it, as a mistyped phone number is; isBirthDate tells it apart.
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

/** Whether day d of month m (1–12) exists in year y. */
const isDay = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Whether the value is a birth date to show and to keep on the profile: one canonicalBirthDate takes,
 * naming a day that exists. A full date is read year first (1990-02-28) or with day and month
 * first in either order (28/02/1990, as British systems write it; 02/28/1990, as American ones do):
 * "31/02/1990", "1990-13-45" and "99/99/1999" name no day.
 */
export function isBirthDate(raw: string | null | undefined, today = Date.now()): boolean {
  const digits = canonicalBirthDate(raw, today);
  if (digits === null || digits.length !== 8) return digits !== null;
  if (YEAR_FIRST.test(digits) && isDay(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6)))) return true;
  const parts = raw!.split(/\D+/).filter(Boolean);
  const [a, b, y] = parts.length === 3 ? parts.map(Number) : [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].map(Number);
  return y >= 1900 && (isDay(y, b, a) || isDay(y, a, b));
}
