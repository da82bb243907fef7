import type { Readable } from "node:stream";
import { DAY_MS } from "@/lib/days";
import { linesOf } from "@/lib/read-files";

/**
 * One basket per line, items separated by commas; an item may be double-quoted (with "" for a quote)
 * to hold a comma. Items are not trimmed: labels such as arules' "cream cheese " carry their spaces.
 */
export function parseBasketLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const items: string[] = [];
  let item = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') item += c;
      else if (line[i + 1] === '"') item += line[i++];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      items.push(item);
      item = "";
    } else item += c;
  }
  items.push(item);
  return items;
}

/** Streams the baskets of a basket file (`path`, read from `input`; one per line); blank lines are not baskets. */
export async function* readBaskets(input: Readable, path: string): AsyncGenerator<string[]> {
  for await (const line of linesOf(input, path)) {
    if (line.trim() !== "") yield parseBasketLine(line);
  }
}

/** One positive-quantity order line, reduced to what basket building needs. */
export type PurchaseRow = { orderId: number; profileId: number | null; placedAt: number; style: string };

export type Basket = { kind: "order" | "customer"; styles: string[] };

export type BasketOptions = { windowDays: number };

/**
 * Turns purchase rows into baskets of distinct styles, holding only the current order and the current
 * customer window in memory. Rows must come sorted by (profileId with nulls first, placedAt, orderId),
 * which keeps every order's rows together and every customer's orders in time order.
 *
 * - "order": every order is a basket.
 * - "customer": a customer's orders (any channel) are grouped into windows anchored at the first order
 *   of the window: later orders placed less than `windowDays` after that anchor join it, the first one
 *   at or beyond it anchors the next window. Anchored windows never grow without bound (a steady
 *   shopper does not chain into one endless basket) and do not depend on calendar boundaries.
 *   A window holding a single order is not emitted: it would only repeat that order's basket.
 */
export function* basketsFromPurchases(rows: Iterable<PurchaseRow>, options: BasketOptions): Generator<Basket> {
  if (!(options.windowDays > 0)) throw new RangeError("windowDays must be positive");
  const windowMs = options.windowDays * DAY_MS;

  let previous: PurchaseRow | undefined;
  let order = new Set<string>();
  let window = new Set<string>();
  let windowStart = 0;
  let windowOrders = 0;

  function* closeWindow(): Generator<Basket> {
    if (windowOrders > 1) yield { kind: "customer", styles: [...window] };
    window = new Set();
    windowOrders = 0;
  }

  function* closeOrder(last: PurchaseRow, next: PurchaseRow | undefined): Generator<Basket> {
    yield { kind: "order", styles: [...order] };
    order = new Set();
    if (last.profileId === null) return;
    if (next?.profileId !== last.profileId || next.placedAt - windowStart >= windowMs) yield* closeWindow();
  }

  for (const row of rows) {
    if (previous && comparePurchaseOrder(previous, row) > 0) {
      throw new Error(`purchase rows out of order at order ${row.orderId}: sort by profile, placed time, order`);
    }
    if (previous && row.orderId !== previous.orderId) yield* closeOrder(previous, row);
    if (order.size === 0 && row.profileId !== null) {
      if (windowOrders === 0) windowStart = row.placedAt;
      windowOrders++;
    }
    order.add(row.style);
    if (row.profileId !== null) window.add(row.style);
    previous = row;
  }
  if (previous) yield* closeOrder(previous, undefined);
}

function comparePurchaseOrder(a: PurchaseRow, b: PurchaseRow): number {
  if (a.profileId !== b.profileId) {
    if (a.profileId === null) return -1;
    if (b.profileId === null) return 1;
    return a.profileId - b.profileId;
  }
  return a.placedAt - b.placedAt || a.orderId - b.orderId;
}

/**
 * What each customer went on to buy after each of their orders: the order's styles, and the styles of
 * their later orders within `windowDays` of it that they had never bought before it (empty when
 * nothing was new). Fed the rows basketsFromPurchases reads, in the same order; orders without a
 * customer take no step. Holds one customer's orders at a time.
 */
export class OrderSteps {
  private readonly windowMs: number;
  private profileId: number | null = null;
  private orderId: number | null = null;
  private orders: { at: number; styles: Set<string> }[] = [];

  constructor(
    options: BasketOptions,
    private readonly onStep: (before: string[], later: string[]) => void,
  ) {
    if (!(options.windowDays > 0)) throw new RangeError("windowDays must be positive");
    this.windowMs = options.windowDays * DAY_MS;
  }

  add(row: PurchaseRow): void {
    if (row.profileId === null) return;
    if (row.profileId !== this.profileId) {
      this.closeCustomer();
      this.profileId = row.profileId;
    }
    if (row.orderId !== this.orderId) this.orders.push({ at: row.placedAt, styles: new Set() });
    this.orderId = row.orderId;
    this.orders.at(-1)!.styles.add(row.style);
  }

  finish(): void {
    this.closeCustomer();
  }

  private closeCustomer(): void {
    const bought = new Set<string>();
    this.orders.forEach((order, k) => {
      for (const s of order.styles) bought.add(s);
      const later = new Set<string>();
      for (let q = k + 1; q < this.orders.length && this.orders[q].at - order.at < this.windowMs; q++)
        for (const s of this.orders[q].styles) if (!bought.has(s)) later.add(s);
      if (k + 1 < this.orders.length) this.onStep([...order.styles], [...later]);
    });
    this.orders = [];
  }
}
