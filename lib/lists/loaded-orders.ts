/**
 * The store orders of a bulk load, kept as the load writes them, so that the customer-list figures
 * are built from memory instead of reading millions of orders and order lines back (the generator's
 * million people: 4.5 million orders, 9.7 million lines). Only what the lists count is kept: orders
 * placed in a store by a known customer, and their lines of a positive quantity.
 * Columns of typed arrays in fixed chunks: off the garbage-collected heap, and never copied as they
 * grow (a copy of a growing array cost the generator a full collection of its gigabytes of heap).
 */
export class LoadedOrders {
  private readonly storeIds = new Column(Int32Array);
  private readonly profileIds = new Column(Int32Array);
  private readonly placedAt = new Column(Float64Array);
  private readonly totals = new Column(Float64Array);
  private readonly lineOrders = new Column(Int32Array);
  private readonly lineProducts = new Column(Int32Array);

  get orderCount(): number {
    return this.storeIds.length;
  }

  get lineCount(): number {
    return this.lineOrders.length;
  }

  /** One order; false (and not kept) unless placed in a store by a known customer. Its lines follow, by addLine. */
  add(storeId: number | null, profileId: number | null, placedAt: number, total: number): boolean {
    if (storeId === null || profileId === null) return false;
    this.storeIds.push(storeId);
    this.profileIds.push(profileId);
    this.placedAt.push(placedAt);
    this.totals.push(total);
    return true;
  }

  /** A line of the order added last. */
  addLine(productId: number, quantity: number): void {
    if (!(quantity > 0)) return;
    this.lineOrders.push(this.storeIds.length - 1);
    this.lineProducts.push(productId);
  }

  /** Points every order at the profile `profileOf` gives for the one it was placed by (a merge's survivor). */
  relink(profileOf: (profileId: number) => number): void {
    for (let i = 0; i < this.profileIds.length; i++) this.profileIds.set(i, profileOf(this.profileIds.get(i)));
  }

  /** Each order: [store, profile, placed at, total]. */
  *orders(): Generator<[number, number, number, number]> {
    for (let i = 0; i < this.storeIds.length; i++) yield [this.storeIds.get(i), this.profileIds.get(i), this.placedAt.get(i), this.totals.get(i)];
  }

  /** Each line: [store, profile, product], as storeOrderLines reads them from the store. */
  *storeLines(): Generator<[number, number, number]> {
    for (let i = 0; i < this.lineOrders.length; i++) {
      const order = this.lineOrders.get(i);
      yield [this.storeIds.get(order), this.profileIds.get(order), this.lineProducts.get(i)];
    }
  }
}

const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

class Column {
  private readonly chunks: (Int32Array | Float64Array)[] = [];
  length = 0;

  constructor(private readonly kind: Int32ArrayConstructor | Float64ArrayConstructor) {}

  push(value: number): void {
    const at = this.length & (CHUNK - 1);
    if (at === 0) this.chunks.push(new this.kind(CHUNK));
    this.chunks[this.chunks.length - 1][at] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
  }

  set(i: number, value: number): void {
    this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = value;
  }
}
