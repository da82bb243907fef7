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
  private readonly index = new Map<string, number>();
  private readonly codes: string[] = [];
  /** Per item: the items met in a training invoice and c(i, j) / √(n(i)·n(j)) for each. */
  private readonly rows: { js: Int32Array; ws: Float64Array }[] = [];
  private readonly score: Float64Array;

  constructor(train: Invoice[]) {
    for (const inv of train) for (const i of inv.items) this.popularity.set(i, (this.popularity.get(i) ?? 0) + 1);
    this.ranking = [...this.popularity.keys()].sort((a, b) => this.popularity.get(b)! - this.popularity.get(a)! || byCode(a, b));
    for (const code of [...this.popularity.keys()].sort(byCode)) this.index.set(code, this.codes.push(code) - 1);
    const co = this.codes.map(() => new Map<number, number>());
    for (const inv of train) {
      const items = [...inv.items].map((c) => this.index.get(c)!);
      for (let a = 0; a < items.length; a++) {
        for (let b = a + 1; b < items.length; b++) {
          co[items[a]].set(items[b], (co[items[a]].get(items[b]) ?? 0) + 1);
          co[items[b]].set(items[a], (co[items[b]].get(items[a]) ?? 0) + 1);
        }
      }
    }
    const n = this.codes.map((c) => this.popularity.get(c)!);
    for (let i = 0; i < co.length; i++) {
      const js = Int32Array.from([...co[i].keys()].sort((x, y) => x - y));
      this.rows.push({ js, ws: Float64Array.from(js, (j) => co[i].get(j)! / Math.sqrt(n[i] * n[j])) });
    }
    this.score = new Float64Array(this.codes.length);
  }

  /** Adds the most popular items not in `exclude` until there are k. */
  topUp(ranked: string[], exclude: Set<string>, k: number): string[] {
    const out = [...ranked];
    const seen = new Set([...out, ...exclude]);
    for (const j of this.ranking) {
      if (out.length >= k) break;
      if (seen.has(j)) continue;
      out.push(j);
      seen.add(j);
    }
    return out.slice(0, k);
  }

  popular(history: Set<string>, k: number): string[] {
    return this.topUp([], history, k);
  }

  cosine(history: Set<string>, k: number): string[] {
    const touched: number[] = [];
    for (const i of [...history]
      .map((c) => this.index.get(c))
      .filter((i) => i !== undefined)
      .sort((x, y) => x - y)) {
      const { js, ws } = this.rows[i];
      for (let t = 0; t < js.length; t++) {
        if (this.score[js[t]] === 0) touched.push(js[t]);
        this.score[js[t]] += ws[t];
      }
    }
    // Rounded as the reference does, so sums reached in another order tie as they do there.
    const candidates: { code: string; s: number; pop: number }[] = [];
    for (const j of touched) {
      const s = Math.round(this.score[j] * 1e12) / 1e12;
      this.score[j] = 0;
      const code = this.codes[j];
      if (!history.has(code) && s > 0) candidates.push({ code, s, pop: this.popularity.get(code)! });
    }
    candidates.sort((a, b) => b.s - a.s || b.pop - a.pop || byCode(a.code, b.code));
    return this.topUp(
      candidates.slice(0, k).map((c) => c.code),
      history,
      k,
    );
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
