/**
 * The leave-last-invoice protocol of ../shared/data/online_retail_2009 (its README and
 * reference_eval.py), and the two baselines it publishes, so the engine is measured beside them on
 * the same split in the same run.
 */

export type InvoiceLine = { invoice: string; code: string; description: string; quantity: number; date: string; price: number; customer: string };

export type Invoice = { id: string; customer: string; date: string; items: Set<string>; lines: InvoiceLine[] };

const NON_PRODUCT = new Set(["POST", "DOT", "C2", "M", "m", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "ADJUST", "TEST001", "TEST002"]);

/** A line the protocol keeps: a known customer's sale (not a cancellation) of a product. */
export function keptLine(l: InvoiceLine): boolean {
  return l.customer !== "" && l.quantity > 0 && !l.invoice.startsWith("C") && !NON_PRODUCT.has(l.code) && !l.code.startsWith("gift_0001");
}

/** Kept lines grouped by invoice; an invoice's date is its earliest line's ("YYYY-MM-DD HH:MM:SS" sorts as text). */
export function invoicesOf(lines: Iterable<InvoiceLine>): Map<string, Invoice> {
  const out = new Map<string, Invoice>();
  for (const l of lines) {
    if (!keptLine(l)) continue;
    const inv = out.get(l.invoice);
    if (!inv) out.set(l.invoice, { id: l.invoice, customer: l.customer, date: l.date, items: new Set([l.code]), lines: [l] });
    else {
      if (inv.customer !== l.customer) throw new Error(`Invoice ${l.invoice} has two customers.`);
      if (l.date < inv.date) inv.date = l.date;
      inv.items.add(l.code);
      inv.lines.push(l);
    }
  }
  return out;
}

/** Each customer with two or more invoices is evaluated on their last, by (date, invoice); every other invoice trains. */
export function splitLastInvoice(invoices: Map<string, Invoice>): { test: Map<string, Invoice>; train: Invoice[] } {
  const byCustomer = new Map<string, Invoice[]>();
  for (const inv of invoices.values()) (byCustomer.get(inv.customer) ?? byCustomer.set(inv.customer, []).get(inv.customer)!).push(inv);
  const test = new Map<string, Invoice>();
  for (const [customer, list] of byCustomer) {
    if (list.length < 2) continue;
    const last = list.reduce((a, b) => (b.date > a.date || (b.date === a.date && b.id > a.id) ? b : a));
    test.set(customer, last);
  }
  const held = new Set([...test.values()].map((i) => i.id));
  return { test, train: [...invoices.values()].filter((i) => !held.has(i.id)) };
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The protocol's two baselines over the training invoices: popularity and item-to-item co-occurrence cosine. */
export class Baselines {
  readonly popularity = new Map<string, number>();
  readonly ranking: string[];
  private readonly co = new Map<string, Map<string, number>>();

  constructor(train: Invoice[]) {
    for (const inv of train) {
      const items = [...inv.items];
      for (const i of items) this.popularity.set(i, (this.popularity.get(i) ?? 0) + 1);
      for (let a = 0; a < items.length; a++) {
        for (let b = a + 1; b < items.length; b++) {
          this.bump(items[a], items[b]);
          this.bump(items[b], items[a]);
        }
      }
    }
    this.ranking = [...this.popularity.keys()].sort((a, b) => this.popularity.get(b)! - this.popularity.get(a)! || byCode(a, b));
  }

  private bump(i: string, j: string): void {
    const row = this.co.get(i) ?? this.co.set(i, new Map()).get(i)!;
    row.set(j, (row.get(j) ?? 0) + 1);
  }

  /** Adds the most popular items not in `exclude` until there are k. */
  topUp(ranked: string[], exclude: Set<string>, k: number): string[] {
    const out = [...ranked];
    const seen = new Set([...out, ...exclude]);
    for (const j of this.ranking) {
      if (out.length >= k) break;
      if (!seen.has(j)) (out.push(j), seen.add(j));
    }
    return out.slice(0, k);
  }

  popular(history: Set<string>, k: number): string[] {
    return this.topUp([], history, k);
  }

  cosine(history: Set<string>, k: number): string[] {
    const score = new Map<string, number>();
    for (const i of [...history].sort(byCode)) {
      const ni = this.popularity.get(i) ?? 0;
      for (const [j, c] of this.co.get(i) ?? []) score.set(j, (score.get(j) ?? 0) + c / Math.sqrt(ni * this.popularity.get(j)!));
    }
    // Rounded as the reference does, so sums reached in another order tie as they do there.
    const round = (s: number) => Math.round(s * 1e12) / 1e12;
    const ranked = [...score]
      .filter(([j, s]) => !history.has(j) && round(s) > 0)
      .sort(([a, sa], [b, sb]) => round(sb) - round(sa) || this.popularity.get(b)! - this.popularity.get(a)! || byCode(a, b))
      .slice(0, k)
      .map(([j]) => j);
    return this.topUp(ranked, history, k);
  }
}

export const KS = [5, 10] as const;

/** hit@K, precision@K (hits / K) and recall@K (hits / |target|), averaged over the cases added. */
export class HoldoutMetrics {
  cases = 0;
  private sums = new Map<number, { hit: number; precision: number; recall: number }>(KS.map((k) => [k, { hit: 0, precision: 0, recall: 0 }]));

  add(ranked: string[], target: Set<string>): void {
    this.cases++;
    for (const k of KS) {
      const hits = ranked.slice(0, k).filter((s) => target.has(s)).length;
      const sum = this.sums.get(k)!;
      sum.hit += hits > 0 ? 1 : 0;
      sum.precision += hits / k;
      sum.recall += hits / target.size;
    }
  }

  at(k: (typeof KS)[number]): { hit: number; precision: number; recall: number } {
    const s = this.sums.get(k)!;
    const n = Math.max(1, this.cases);
    return { hit: s.hit / n, precision: s.precision / n, recall: s.recall / n };
  }
}
