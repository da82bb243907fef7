export const DAY_MS = 86_400_000;

/** Due dates are calendar days in the stores' own time zone, so "today" flips at local midnight. */
const STORE_TIME_ZONE = "Europe/London";
const storeDay = new Intl.DateTimeFormat("en-CA", { timeZone: STORE_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export function storeToday(now = Date.now()): string {
  return storeDay.format(new Date(now));
}

/** The UTC calendar day of a moment, as "YYYY-MM-DD" (date inputs, file names, CSV cells). */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Midnight UTC starting a "YYYY-MM-DD" day, plus whole days. */
export function utcDayStart(day: string, plusDays = 0): number {
  return Date.parse(`${day}T00:00:00Z`) + plusDays * DAY_MS;
}

/** Calendar arithmetic on "YYYY-MM-DD": done in UTC, where every day has 24 hours. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return utcDay(Date.UTC(y, m - 1, d + days));
}

const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return shortDay.format(new Date(Date.UTC(y, m - 1, d)));
}
