/** Due dates are calendar days in the stores' own time zone, so "today" flips at local midnight. */
export const STORE_TIME_ZONE = "Europe/London";
const isoDay = new Intl.DateTimeFormat("en-CA", { timeZone: STORE_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export function storeToday(now = Date.now()): string {
  return isoDay.format(new Date(now));
}

/** Calendar arithmetic on "YYYY-MM-DD": done in UTC, where every day has 24 hours. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return shortDay.format(new Date(Date.UTC(y, m - 1, d)));
}
