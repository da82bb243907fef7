import { DEFAULT_RULE_MESSAGE } from "./messages";
import { DAY_MS } from "@/lib/days";
import { type Anchor, type AnchorView, type Availability, type Candidate, type InterestSignal, ONE_SIZE, type SeasonAnchor } from "./rank";

/** What a card says: the sentence an assistant can say out loud and the stock badge, from one description of the sizes. */

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "Europe/London" });
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

export function spokenDate(at: number, now: number): string {
  const year = (t: number) => new Date(t).toLocaleString("en-GB", { year: "numeric", timeZone: "Europe/London" });
  return (year(at) === year(now) ? dayMonth : dayMonthYear).format(new Date(at));
}

function isInterest(anchor: Candidate["anchor"]): anchor is InterestSignal {
  return "kind" in anchor;
}

function isSeason(anchor: Candidate["anchor"]): anchor is SeasonAnchor {
  return "season" in anchor;
}

export function anchorView(anchor: Candidate["anchor"], storeId: number | null): AnchorView {
  if (isSeason(anchor)) return { style: null, productName: null, date: anchor.to, place: anchor.here ? "here" : "across our shops", channel: null };
  if (isInterest(anchor))
    return {
      style: anchor.style,
      productName: anchor.productName,
      date: anchor.at,
      place: anchor.channel === "app" ? "in the app" : "online",
      channel: anchor.channel,
    };
  return { style: anchor.style, productName: anchor.productName, date: anchor.at, place: purchasePlace(anchor, storeId), channel: anchor.channel };
}

function purchasePlace(anchor: Anchor, storeId: number | null): string {
  if (anchor.channel === "online") return "online";
  if (anchor.channel === "app") return "in the app";
  return anchor.storeId !== null && anchor.storeId === storeId ? "here" : `in ${anchor.storeName ?? "one of our stores"}`;
}

/** Up to five sizes listed, more as a range, so the badge and the sentence name the same sizes. */
export function describeSizes(sizes: string[]): string {
  if (sizes.length > 5) return `${sizes[0]} to ${sizes.at(-1)}`;
  return sizes.length === 1 ? sizes[0] : `${sizes.slice(0, -1).join(", ")} and ${sizes.at(-1)}`;
}

const oneSize = (sizes: string[]) => sizes.length === 1 && sizes[0] === ONE_SIZE;

export function availabilityClause(a: Availability, customerSize: string | null): string {
  if (a.checkStock) {
    if (customerSize !== null && a.customerSizeInStock === null && !oneSize(a.sizes)) return `please check the stock for your size (${customerSize}).`;
    return oneSize(a.sizes) ? "please check the stock." : `please check the stock; it comes in ${describeSizes(a.sizes)}.`;
  }
  if (a.orderForDelivery) {
    return a.customerSizeInStock === false
      ? `not here in your size (${customerSize}), but we can order it for delivery.`
      : "not in stock here, but we can order it for delivery.";
  }
  if (a.customerSizeInStock) return `we have it in your size (${customerSize}).`;
  if (oneSize(a.inStoreSizes)) return "we have it here.";
  return `we have it here in ${describeSizes(a.inStoreSizes)}.`;
}

/** The short line on the card beside the price. */
export function stockBadge(a: Availability, customerSize: string | null): string {
  if (a.checkStock) return customerSize !== null && !oneSize(a.sizes) ? `Check stock (${customerSize})` : "Check stock";
  if (a.orderForDelivery) return "Order for delivery";
  if (a.customerSizeInStock && customerSize !== null) return `In your size here (${customerSize})`;
  return oneSize(a.inStoreSizes) ? "In stock here" : `Here in ${describeSizes(a.inStoreSizes)}`;
}

export function fillTemplate(template: string, values: { anchor: string; anchorDate: string; anchorPlace: string; product: string }): string {
  return template.replace(/\{(anchor|anchorDate|anchorPlace|product)\}/g, (_, key: keyof typeof values) => values[key]);
}

const INTEREST_VERBS = { view: "You looked at it", wishlist: "You wish-listed it", cart: "You had it in your basket" } as const;

/** The sentence the assistant can say: the anchor (what, where, when), then whether we have it. */
export function reasonFor(
  candidate: Candidate,
  productName: string,
  availability: Availability,
  customerSize: string | null,
  storeId: number | null,
  now: number,
): string {
  const view = anchorView(candidate.anchor, storeId);
  const date = spokenDate(view.date, now);
  const clause = availabilityClause(availability, customerSize);
  const anchor = candidate.anchor;
  if (isSeason(anchor)) {
    const where = anchor.here ? "here" : "across our shops";
    // A shop whose sales stopped coming in says which weeks it means, not "this season".
    const when = now - anchor.to < 7 * DAY_MS ? "this season" : `from ${spokenDate(anchor.from, now)} to ${spokenDate(anchor.to, now)}`;
    return `One of our best sellers ${where} ${when} — ${clause}`;
  }
  if (isInterest(anchor)) {
    const change = (anchor.promoPercent ?? 0) > 0 ? `it is now ${anchor.promoPercent}% off` : "it is back in stock";
    return `${INTEREST_VERBS[anchor.kind]} ${view.place} on ${date}: ${change}, and ${clause}`;
  }
  const values = { anchor: anchor.productName, anchorDate: date, anchorPlace: view.place, product: productName };
  const lead =
    candidate.source.kind === "rule"
      ? fillTemplate(candidate.message ?? DEFAULT_RULE_MESSAGE, values)
      : candidate.source.next
        ? `Customers who bought the ${anchor.productName}, which you bought ${view.place} on ${date}, often went on to buy this`
        : `Often bought with the ${anchor.productName} you bought ${view.place} on ${date}`;
  return `${lead.trim().replace(/[.!]+$/, "")} — ${clause}`;
}
