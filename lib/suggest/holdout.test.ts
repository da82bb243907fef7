import { describe, expect, it } from "vitest";
import { Baselines, HoldoutMetrics, type InvoiceLine, invoicesOf, keptLine, splitLastInvoice } from "./holdout";

const line = (invoice: string, code: string, customer: string, date: string, quantity = 1): InvoiceLine => ({
  invoice,
  code,
  description: code,
  quantity,
  date,
  price: 1,
  customer,
});

describe("the leave-last-invoice protocol", () => {
  it("keeps a known customer's product sales, not cancellations, returns, postage or gift vouchers", () => {
    expect(keptLine(line("1", "A", "c1", "2010-01-01 10:00:00"))).toBe(true);
    expect(keptLine(line("1", "A", "", "2010-01-01 10:00:00"))).toBe(false);
    expect(keptLine(line("C1", "A", "c1", "2010-01-01 10:00:00"))).toBe(false);
    expect(keptLine(line("1", "A", "c1", "2010-01-01 10:00:00", -2))).toBe(false);
    expect(keptLine(line("1", "POST", "c1", "2010-01-01 10:00:00"))).toBe(false);
    expect(keptLine(line("1", "gift_0001_20", "c1", "2010-01-01 10:00:00"))).toBe(false);
    expect(keptLine(line("1", "ADJUST2", "c1", "2010-01-01 10:00:00"))).toBe(true);
  });

  it("holds out each repeat customer's last invoice by date then number, dated by its earliest line", () => {
    const invoices = invoicesOf([
      line("10", "Aa", "c1", "2010-01-01 10:05:00"),
      line("10", "Bb", "c1", "2010-01-01 10:00:00"),
      line("11", "Cc", "c1", "2010-01-01 10:00:00"),
      line("12", "Aa", "c2", "2010-02-01 10:00:00"),
    ]);
    expect(invoices.get("10")).toMatchObject({ date: "2010-01-01 10:00:00", items: new Set(["Aa", "Bb"]) });
    const { test, train } = splitLastInvoice(invoices);
    expect([...test].map(([c, i]) => [c, i.id])).toEqual([["c1", "11"]]);
    expect(train.map((i) => i.id).sort()).toEqual(["10", "12"]);
  });

  it("ranks by popularity and by co-occurrence cosine, never returning history, topped up by popularity", () => {
    const invoices = invoicesOf([
      ...["Aa", "Bb", "Cc"].map((c) => line("1", c, "x", "2010-01-01 10:00:00")),
      ...["Aa", "Bb"].map((c) => line("2", c, "y", "2010-01-01 10:00:00")),
      ...["Bb", "Dd"].map((c) => line("3", c, "z", "2010-01-01 10:00:00")),
      ...["Ee", "Dd"].map((c) => line("4", c, "w", "2010-01-01 10:00:00")),
    ]);
    const b = new Baselines([...invoices.values()]);
    expect(b.ranking).toEqual(["Bb", "Aa", "Dd", "Cc", "Ee"]);
    expect(b.popular(new Set(["Bb"]), 2)).toEqual(["Aa", "Dd"]);
    // From Aa: Bb = 2/√(2·3) ≈ 0.82, Cc = 1/√(2·1) ≈ 0.71; Dd and Ee never met Aa, so they come by popularity.
    expect(b.cosine(new Set(["Aa"]), 4)).toEqual(["Bb", "Cc", "Dd", "Ee"]);
  });

  it("averages hit, precision and recall at 5 and 10 over the customers", () => {
    const m = new HoldoutMetrics();
    m.add(["Aa", "Bb", "Cc", "Dd", "Ee", "F"], new Set(["Aa", "F"]));
    m.add(["X"], new Set(["Y"]));
    expect(m.at(5)).toEqual({ hit: 0.5, precision: 0.1, recall: 0.25 });
    expect(m.at(10)).toEqual({ hit: 0.5, precision: 0.1, recall: 0.5 });
  });
});
