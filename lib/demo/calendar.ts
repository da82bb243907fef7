import { type Random, Weighted } from "./random";
import { DAY_MS } from "@/lib/days";

/** The demo's "now": fixed so that the same seed gives the same file whenever it is generated. */
export const REFERENCE_NOW = Date.UTC(2026, 10, 1);
const HISTORY_DAYS = 730;
export const HISTORY_START = REFERENCE_NOW - HISTORY_DAYS * DAY_MS;

/** Relative trade by month (Jan–Dec): the Christmas peak, the January and summer sales. */
const MONTH_WEIGHT = [1.15, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 0.9, 0.9, 1.0, 1.45, 1.9];
/** Relative store trade by weekday (Sun–Sat). */
const WEEKDAY_WEIGHT = [1.2, 0.75, 0.75, 0.8, 0.9, 1.1, 1.6];

function dayWeights(weekdays: boolean): Weighted<number> {
  const days: [number, number][] = [];
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const date = new Date(HISTORY_START + d * DAY_MS);
    days.push([d, MONTH_WEIGHT[date.getUTCMonth()] * (weekdays ? WEEKDAY_WEIGHT[date.getUTCDay()] : 1)]);
  }
  return new Weighted(days);
}

const storeDays = dayWeights(true);
const onlineDays = dayWeights(false);

/** A moment of trade in the two years of history, following the season (and the week, in stores). */
export function tradingMoment(random: Random, channel: "store" | "online"): number {
  const day = (channel === "store" ? storeDays : onlineDays).draw(random);
  // Stores trade 09:00–19:59; online orders come at any hour, mostly in the evening.
  const minute = channel === "store" ? random.int(9 * 60, 20 * 60 - 1) : random.int(7 * 60, 31 * 60 - 1) % (24 * 60);
  return HISTORY_START + day * DAY_MS + minute * 60_000 + random.int(0, 59) * 1000;
}

/** A moment in the last `days` days, more likely recent. */
export function recentMoment(random: Random, days: number): number {
  const back = Math.floor(days * random.next() * random.next());
  return REFERENCE_NOW - back * DAY_MS - random.int(1, 23 * 60) * 60_000;
}

/** Sale weeks: Boxing Day to January, and late June to July. */
export function inSale(at: number): boolean {
  const date = new Date(at);
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  return month === 0 || (month === 11 && day >= 26) || (month === 5 && day >= 20) || month === 6;
}
