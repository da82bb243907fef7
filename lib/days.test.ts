import { describe, expect, it } from "vitest";
import { DAY_MS, addDays, formatDay, storeToday, utcDay, utcDayStart } from "./days";

describe("days", () => {
  it("adds days across month, year and clock-change boundaries", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("turns moments into UTC days and days back into their first millisecond", () => {
    const at = Date.UTC(2026, 5, 30, 23, 59, 59);
    expect(utcDay(at)).toBe("2026-06-30");
    expect(utcDayStart("2026-06-30")).toBe(Date.UTC(2026, 5, 30));
    expect(utcDayStart("2026-06-30", 1) - utcDayStart("2026-06-30")).toBe(DAY_MS);
  });

  it("takes today in the stores' time zone, where the day flips at local midnight", () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    expect(storeToday(Date.UTC(2026, 5, 30, 23, 30))).toBe("2026-07-01");
    expect(storeToday(Date.UTC(2026, 0, 15, 23, 30))).toBe("2026-01-15");
    expect(formatDay("2026-07-01")).toBe("Wed 1 Jul");
  });
});
