const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

export function formatMoney(pence: number): string {
  return money.format(pence / 100);
}

export function formatDate(ms: number): string {
  return day.format(new Date(ms));
}

const dayTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

export function formatDateTime(ms: number): string {
  return dayTime.format(new Date(ms));
}

/** "Gold member"; the base tier, stored as "Member", reads "Loyalty member" rather than "Member member". */
export function tierLabel(tier: string): string {
  return tier.trim().toLowerCase() === "member" ? "Loyalty member" : `${tier} member`;
}
