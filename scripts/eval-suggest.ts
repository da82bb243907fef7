/**
 * `npm run eval:suggest -- [--db data/clientele.db] [--rules rules.json] [--groceries file.csv] [--seed 1]`
 * (`--real DIR` for real shoppers, with `--validate` to choose settings on a split inside their training part):
 * offline hit rates of the suggestion engine.
 *
 * Database: for every customer with an earlier purchase, their most recent basket is hidden; the
 * engine's own candidate and ranking functions (lib/suggest/engine.ts) suggest from what came before,
 * as of the moment of that basket. Associations are mined afresh from the other baskets only (the same
 * code and defaults as `npm run mine`), so the hidden baskets never leak into the rules. The shelf
 * filters (stock, active, promotions) describe today's shelf, not the one the customer met, so they are
 * left out: every style counts as on sale, at full price, and ties (a category rule's many styles) go
 * to the better seller in the other baskets, standing in for the tablet's "more in stock here". Rules are the database's published ones plus
 * any in --rules (a JSON array of rule forms, as head office would enter them), applied to any store.
 * Interest uses browsing before the hidden basket with today's promotions (the only ones recorded).
 * hit@k: share of customers with at least one hidden style among the first k suggestions.
 *
 * Groceries (one basket per line): a seeded random 20% of each basket's items (at least one) is hidden,
 * associations are mined from the visible items of all baskets and each basket's visible items anchor
 * its suggestions. No dates, rules or browsing there: "engine" adds the at-most-two-per-category rule
 * (categories from the groceries_long.csv beside the file, when present) to the associations. Both
 * lists are topped up with the most popular items, as the tablet tops a short list up with best sellers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { parse } from "csv-parse";
import { type Db, openDatabase } from "@/db/client";
import { Random } from "@/lib/demo/random";
import { closeDatabase } from "@/db/maintenance";
import { ensureSource, importFile } from "@/lib/identity/import";
import { type SuggestionCard, loadRules, suggestForProfile } from "@/lib/suggest/engine";
import { Baselines, HoldoutMetrics, type Invoice, type InvoiceLine, KS as HOLDOUT_KS, invoicesOf, splitLastInvoice } from "@/lib/suggest/holdout";
import { DAY_MS } from "@/lib/days";
import {
  type Association,
  type Candidate,
  type InterestSignal,
  type RuleDefinition,
  associationCandidates,
  compareByStrength,
  customerHistory,
  interestCandidates,
  pairKey,
  rankCandidates,
  ruleCandidates,
} from "@/lib/suggest/rank";
import { basketsFromPurchases, type PurchaseRow, readBaskets } from "@/lib/suggest/baskets";
import { PairCounter, compareRules, topKPerItem } from "@/lib/suggest/mining";
import { definitionOf, parseRuleInput } from "@/lib/suggest/rules";
import { DATABASE_MINING_DEFAULTS, mineDatabase } from "@/lib/suggest/mine-database";
import { RANKING_DEFAULTS, type RankingSettings } from "@/lib/suggest/settings";
import { type EvaluationLine as Line, addEvaluationStore, allPurchaseLines, catalogueRows, profileInteractions, profileLookup } from "@/lib/suggest/offline";
import { cliDatabasePath } from "./cli";

const KS = [5, 10] as const;
const LIMIT = 10;
const INTEREST_DAYS = 90;
const HOLD_OUT = 0.2;

type Method = "engine" | "rules only" | "associations only" | "most popular";
const METHODS: Method[] = ["engine", "rules only", "associations only", "most popular"];

class Tally {
  private hits = new Map<string, number>();
  cases = 0;

  add(method: Method, ranked: string[], hidden: Set<string>): void {
    for (const k of KS) {
      if (ranked.slice(0, k).some((s) => hidden.has(s))) this.hits.set(`${method}@${k}`, (this.hits.get(`${method}@${k}`) ?? 0) + 1);
    }
  }

  rate(method: Method, k: number): number {
    return this.cases === 0 ? 0 : (this.hits.get(`${method}@${k}`) ?? 0) / this.cases;
  }
}

function printTable(title: string, tally: Tally, methods: Method[], notes: Partial<Record<Method, string>> = {}): void {
  console.log(`\n${title} (${tally.cases.toLocaleString("en-GB")} cases)`);
  console.log(`  ${"method".padEnd(20)}${KS.map((k) => `hit@${k}`.padStart(9)).join("")}   vs popular@5  vs popular@10`);
  for (const m of methods) {
    const rates = KS.map((k) => tally.rate(m, k));
    const ratios = KS.map((k) => (tally.rate("most popular", k) > 0 ? `${(tally.rate(m, k) / tally.rate("most popular", k)).toFixed(2)}×` : "–"));
    console.log(
      `  ${m.padEnd(20)}${rates.map((r) => `${(100 * r).toFixed(1)}%`.padStart(9)).join("")}   ${ratios[0].padStart(11)}  ${ratios[1].padStart(13)}${notes[m] ? `   ${notes[m]}` : ""}`,
    );
  }
}

/** Most popular first, skipping what the customer already has. */
function popular(ranking: string[], owned: Set<string>, k: number): string[] {
  const out: string[] = [];
  for (const s of ranking) {
    if (out.length >= k) break;
    if (!owned.has(s)) out.push(s);
  }
  return out;
}

function mineTopK(baskets: Iterable<string[]>): Map<string, Association[]> {
  const counter = new PairCounter();
  for (const b of baskets) counter.add(b);
  const { minCount, minConfidence, minLift, topK } = DATABASE_MINING_DEFAULTS;
  const top = topKPerItem(counter.rules({ minCount, minConfidence, minLift }), topK, (a, b) => compareByStrength(a, b) || compareRules(a, b));
  return new Map(
    [...top].map(([anchor, rules]) => [
      anchor,
      rules.slice(0, RANKING_DEFAULTS.pairsPerAnchor).map((r) => ({ anchorStyle: anchor, suggestStyle: r.rhs, confidence: r.confidence, lift: r.lift })),
    ]),
  );
}

function evaluateDatabase(file: string, rulesFile: string | undefined): void {
  const started = performance.now();
  const db = openDatabase(file);
  const skus = catalogueRows(db);
  const catalogue = new Map(skus.map((p) => [p.style, p]));
  const styleOf = new Map(
    skus.flatMap(
      (p) =>
        [
          [p.sku, p.style],
          [p.style, p.style],
        ] as const,
    ),
  );
  const stylesBy = (key: "category" | "collection" | "brand", value: string) => [...catalogue.values()].filter((p) => p[key] === value).map((p) => p.style);
  const rules: RuleDefinition[] = [
    ...loadRules(db, Number.MAX_SAFE_INTEGER).map((r) => ({ ...r, storeIds: null, activeFrom: null, activeTo: null })),
    ...(rulesFile
      ? (JSON.parse(fs.readFileSync(rulesFile, "utf8")) as unknown[]).map((raw, i) => ({
          ...definitionOf({ ...parseRuleInput(db, raw), id: -1 - i }),
          storeIds: null,
          activeFrom: null,
          activeTo: null,
        }))
      : []),
  ];
  const targets = new Map(
    rules.map((r) => [r, r.targetKind === "sku" ? [styleOf.get(r.targetValue) ?? r.targetValue] : stylesBy(r.targetKind, r.targetValue)]),
  );

  const lines = allPurchaseLines(db);
  const byProfile = new Map<number, Line[]>();
  for (const l of lines) if (l.profileId !== null) (byProfile.get(l.profileId) ?? byProfile.set(l.profileId, []).get(l.profileId)!).push(l);
  const hiddenOrders = new Set<number>();
  const cases: { profileId: number; history: Line[]; hidden: Set<string>; at: number }[] = [];
  for (const [profileId, rows] of byProfile) {
    const bought = rows.filter((r) => r.quantity > 0);
    const last = bought.at(-1);
    if (!last) continue;
    const before = rows.filter((r) => r.placedAt < last.placedAt);
    if (!before.some((r) => r.quantity > 0)) continue;
    hiddenOrders.add(last.orderId);
    const owned = customerHistory(before).owned;
    const hidden = new Set(bought.filter((r) => r.orderId === last.orderId && !owned.has(r.style)).map((r) => r.style));
    if (hidden.size > 0) cases.push({ profileId, history: before, hidden, at: last.placedAt });
  }

  const training = lines.filter((l) => l.quantity > 0 && !hiddenOrders.has(l.orderId));
  const rows: PurchaseRow[] = training.map((l) => ({ orderId: l.orderId, profileId: l.profileId, placedAt: l.placedAt, style: l.style }));
  rows.sort((a, b) => (a.profileId ?? -1) - (b.profileId ?? -1) || a.placedAt - b.placedAt || a.orderId - b.orderId);
  const associations = mineTopK(
    (function* () {
      for (const b of basketsFromPurchases(rows, { windowDays: DATABASE_MINING_DEFAULTS.windowDays })) yield b.styles;
    })(),
  );
  const orderCounts = new Map<string, Set<number>>();
  for (const l of training) (orderCounts.get(l.style) ?? orderCounts.set(l.style, new Set()).get(l.style)!).add(l.orderId);
  const popularity = [...orderCounts].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([s]) => s);

  const interestRows = profileInteractions(db);
  const interestBy = new Map<number, InterestSignal[]>();
  for (const r of interestRows) {
    if (r.kind === "visit" || r.profileId === null) continue;
    const signal: InterestSignal = {
      style: r.style,
      productName: r.productName,
      kind: r.kind,
      at: r.at,
      channel: r.source === "app" ? "app" : "online",
      promoPercent: r.promoPercent,
      restockedHere: false,
    };
    (interestBy.get(r.profileId) ?? interestBy.set(r.profileId, []).get(r.profileId)!).push(signal);
  }

  const tally = new Tally();
  const rankOptions = (owned: Set<string>) => ({
    limit: LIMIT,
    owned,
    category: (s: string) => catalogue.get(s)?.category,
    promoPercent: () => null,
    sellable: () => ({ delivery: false }),
    weight: (s: string) => orderCounts.get(s)?.size ?? 0,
  });
  for (const c of cases) {
    const history = customerHistory(c.history);
    const scoped = { ...history, anchors: history.anchors.slice(0, RANKING_DEFAULTS.anchors) };
    const assoc = scoped.anchors.flatMap((a) => associations.get(a.style) ?? []);
    const pairs = new Map(assoc.map((a) => [pairKey(a.anchorStyle, a.suggestStyle), a]));
    const fromRules = ruleCandidates(scoped, rules, (r) => targets.get(r) ?? [], pairs, c.at);
    const fromAssociations = associationCandidates(scoped, assoc, RANKING_DEFAULTS);
    const signals = (interestBy.get(c.profileId) ?? []).filter((s) => s.at < c.at && s.at >= c.at - INTEREST_DAYS * DAY_MS);
    const fromInterest = interestCandidates(signals, c.at);
    const rank = (candidates: Candidate[]) => rankCandidates(candidates, rankOptions(history.owned)).map((r) => r.style);
    tally.cases++;
    tally.add("engine", rank([...fromRules, ...fromAssociations, ...fromInterest]), c.hidden);
    tally.add("rules only", rank(fromRules), c.hidden);
    tally.add("associations only", rank(fromAssociations), c.hidden);
    tally.add("most popular", popular(popularity, history.owned, LIMIT), c.hidden);
  }
  closeDatabase(db);
  const associationCount = [...associations.values()].reduce((n, a) => n + a.length, 0);
  printTable(
    `Synthetic (the demo generator's planted pattern, not real shoppers) ${file}: most recent basket hidden, ${rules.length} rules, ${associationCount} mined associations from the other baskets`,
    tally,
    METHODS,
    rules.length === 0 ? { "rules only": "(no published rules: pass --rules)" } : {},
  );
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function evaluateGroceries(file: string, seed: number): Promise<void> {
  const started = performance.now();
  const random = new Random(seed);
  const visible: string[][] = [];
  const hiddenBy: Set<string>[] = [];
  for await (const basket of readBaskets(fs.createReadStream(file), file)) {
    const items = [...new Set(basket)];
    for (let i = items.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [items[i], items[j]] = [items[j], items[i]];
    }
    const holdOut = items.length < 2 ? 0 : Math.max(1, Math.round(items.length * HOLD_OUT));
    hiddenBy.push(new Set(items.slice(0, holdOut)));
    visible.push(items.slice(holdOut));
  }
  const categories = new Map<string, string>();
  const long = path.join(path.dirname(file), "groceries_long.csv");
  if (fs.existsSync(long)) {
    for (const line of fs.readFileSync(long, "utf8").split("\n").slice(1)) {
      const [, item, level2] = line.split(",");
      if (item && level2) categories.set(item, level2);
    }
  }
  const associations = mineTopK(visible);
  const counts = new Map<string, number>();
  for (const b of visible) for (const item of b) counts.set(item, (counts.get(item) ?? 0) + 1);
  const popularity = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);

  const tally = new Tally();
  visible.forEach((items, i) => {
    if (hiddenBy[i].size === 0 || items.length === 0) return;
    const now = 0;
    const history = customerHistory(
      items.map((style) => ({
        placedAt: now,
        channel: "store",
        storeId: null,
        storeName: null,
        style,
        sku: style,
        name: style,
        category: categories.get(style) ?? style,
        collection: null,
        brand: "",
        size: null,
        quantity: 1,
      })),
    );
    const candidates = associationCandidates(
      history,
      items.flatMap((s) => associations.get(s) ?? []),
      RANKING_DEFAULTS,
    );
    // As on the tablet, best sellers fill the places the associations leave (a small basket has few).
    const rank = (category: (s: string) => string) => {
      const ranked = rankCandidates(candidates, {
        limit: LIMIT,
        owned: history.owned,
        category,
        promoPercent: () => null,
        sellable: () => ({ delivery: false }),
      }).map((r) => r.style);
      return [...ranked, ...popular(popularity, new Set([...history.owned, ...ranked]), LIMIT - ranked.length)];
    };
    tally.cases++;
    tally.add(
      "engine",
      rank((s) => categories.get(s) ?? s),
      hiddenBy[i],
    );
    tally.add(
      "associations only",
      rank((s) => s),
      hiddenBy[i],
    );
    tally.add("most popular", popular(popularity, history.owned, LIMIT), hiddenBy[i]);
  });
  printTable(`${file}: ${Math.round(HOLD_OUT * 100)}% of each basket's items hidden (seed ${seed})`, tally, ["engine", "associations only", "most popular"], {
    engine: categories.size ? "(associations, at most 2 per category)" : "(no categories found: same as associations)",
  });
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// ——— Real shoppers: ../shared/data/online_retail_2009, loaded through the importer ———

async function readRetailLines(file: string): Promise<InvoiceLine[]> {
  const out: InvoiceLine[] = [];
  const rows = fs
    .createReadStream(file)
    .pipe(zlib.createGunzip())
    .pipe(parse({ columns: true }));
  for await (const r of rows as AsyncIterable<Record<string, string>>) {
    out.push({
      invoice: r.InvoiceNo,
      code: r.StockCode,
      description: r.Description.trim(),
      quantity: Number(r.Quantity),
      date: r.InvoiceDate,
      price: Number(r.UnitPrice),
      customer: r.CustomerID,
    });
  }
  return out;
}

/** The file's local time as the importer reads a moment; only the order of invoices matters here. */
const isoMoment = (date: string) => `${date.replace(" ", "T")}Z`;
/** Pounds to pence as a till would send them: fractions of a penny stay (the importer rounds them). */
const pence = (pounds: number) => String(Number((pounds * 100).toFixed(3)));

function writeLines(file: string, lines: string[]): void {
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/**
 * The shop's catalogue (every product code it sold, named by its commonest description, priced at
 * its latest price), its customers and the training invoices as the files a retailer would export.
 * No category, department or brand: the data has none.
 */
function writeRetailExports(dir: string, all: InvoiceLine[], train: Invoice[]): { products: string; customers: string; orders: string } {
  const names = new Map<string, Map<string, number>>();
  const price = new Map<string, { date: string; price: number }>();
  for (const l of all) {
    if (!l.code || l.quantity <= 0 || l.price < 0) continue;
    const n = names.get(l.code) ?? names.set(l.code, new Map()).get(l.code)!;
    if (l.description) n.set(l.description, (n.get(l.description) ?? 0) + 1);
    const last = price.get(l.code);
    if (!last || l.date >= last.date) price.set(l.code, { date: l.date, price: l.price });
  }
  const csv = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const productRows = [...price].map(([code, p]) => {
    const name = [...(names.get(code) ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? code;
    return [code, name, "", "", "", pence(p.price)].map(csv).join(",");
  });
  const files = { products: path.join(dir, "products.csv"), customers: path.join(dir, "customers.jsonl"), orders: path.join(dir, "orders.jsonl") };
  writeLines(files.products, ["sku,name,category,department,brand,price", ...productRows]);
  const customers = [...new Set(train.map((i) => i.customer))].sort();
  writeLines(
    files.customers,
    customers.map((c) => JSON.stringify({ sourceCustomerId: c })),
  );
  writeLines(
    files.orders,
    train.map((inv) =>
      JSON.stringify({
        externalId: inv.id,
        sourceCustomerId: inv.customer,
        channel: "online",
        placedAt: isoMoment(inv.date),
        lines: inv.lines.map((l) => ({ sku: l.code, quantity: l.quantity, unitPrice: pence(l.price) })),
      }),
    ),
  );
  return files;
}

type EngineTally = { metrics: HoldoutMetrics; cards: number; anchored: number; namesPurchase: number; popular: number; zeroScores: number; short: number };

function engineTally(): EngineTally {
  return { metrics: new HoldoutMetrics(), cards: 0, anchored: 0, namesPurchase: 0, popular: 0, zeroScores: 0, short: 0 };
}

function tallyCards(t: EngineTally, cards: SuggestionCard[], target: Set<string>): void {
  t.metrics.add(
    cards.map((c) => c.style),
    target,
  );
  if (cards.length < LIMIT) t.short++;
  for (const c of cards) {
    t.cards++;
    if (c.source.kind === "popular") t.popular++;
    else {
      t.anchored++;
      if (c.anchor.productName !== null && c.reason.includes(c.anchor.productName)) t.namesPurchase++;
    }
    if (!Number.isFinite(c.score) || Math.exp(c.score) === 0) t.zeroScores++;
  }
}

function printHoldoutTable(title: string, rows: [string, HoldoutMetrics, string?][]): void {
  console.log(`\n${title}`);
  console.log(`  ${"ranker".padEnd(34)}${["hit@5", "P@5", "R@5", "hit@10", "P@10", "R@10"].map((h) => h.padStart(8)).join("")}`);
  for (const [name, m, note] of rows) {
    const cells = HOLDOUT_KS.flatMap((k) => {
      const r = m.at(k);
      return [r.hit, r.precision, r.recall];
    });
    console.log(`  ${name.padEnd(34)}${cells.map((c) => c.toFixed(4).padStart(8)).join("")}${note ? `   ${note}` : ""}`);
  }
}

type Shop = { db: Db; storeId: number; profileOf: (customer: string) => number };

/**
 * A fresh store loaded as a retailer would load it: export files through the importer, then the default
 * mining unless the caller mines it its own ways (the validation grid: mining takes about as long as the import).
 */
async function loadShop(work: string, lines: InvoiceLine[], train: Invoice[], step: (what: string) => void, mine = true): Promise<Shop> {
  fs.mkdirSync(work, { recursive: true });
  const dbFile = path.join(work, "real.db");
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(dbFile);
  ensureSource(db, { name: "shop", label: "Online shop" }, true);
  const storeId = addEvaluationStore(db);
  step("importing");
  const exports = writeRetailExports(work, lines, train);
  for (const kind of ["products", "customers", "orders"] as const) {
    const t0 = performance.now();
    const s = await importFile(db, { kind, source: "shop", file: exports[kind], batchSize: 2000 });
    console.log(
      `  imported ${kind}: ${s.inserted.toLocaleString("en-GB")} written, ${s.rejected.toLocaleString("en-GB")} rejected${s.rejectsFile ? ` (${s.rejectsFile})` : ""} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  if (mine) {
    step("mining");
    const mined = mineDatabase(db, DATABASE_MINING_DEFAULTS);
    console.log(
      `  mined with the defaults (${JSON.stringify(DATABASE_MINING_DEFAULTS)}): ${mined.rulesStored.toLocaleString("en-GB")} associations for ${mined.anchors.toLocaleString("en-GB")} items, ${mined.nextRulesStored.toLocaleString("en-GB")} "went on to buy" pairs from ${mined.steps.toLocaleString("en-GB")} orders followed by another`,
    );
  }
  const lookup = profileLookup(db, "shop");
  const profileOf = (customer: string) => {
    const id = lookup(customer);
    if (id === undefined) throw new Error(`Customer ${customer} did not import.`);
    return id;
  };
  return { db, storeId, profileOf };
}

async function evaluateReal(dir: string, keep: string | undefined): Promise<void> {
  const started = performance.now();
  const file = path.join(dir, "online_retail_2009.csv.gz");
  if (!fs.existsSync(file)) throw new Error(`No ${file}: pass --real with the online_retail_2009 folder.`);
  const step = (what: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0)} s: ${what}\n`);
  step("reading");
  const lines = await readRetailLines(file);
  step("baselines");
  const invoices = invoicesOf(lines);
  const { test, train } = splitLastInvoice(invoices);
  const baselines = new Baselines(train);
  const history = new Map<string, Set<string>>();
  for (const inv of train)
    if (test.has(inv.customer)) for (const item of inv.items) (history.get(inv.customer) ?? history.set(inv.customer, new Set()).get(inv.customer)!).add(item);
  const popularity = new HoldoutMetrics();
  const cosine = new HoldoutMetrics();
  for (const [customer, inv] of test) {
    const h = history.get(customer) ?? new Set();
    popularity.add(baselines.popular(h, LIMIT), inv.items);
    cosine.add(baselines.cosine(h, LIMIT), inv.items);
  }
  console.log(
    `\nReal shoppers (${path.basename(dir)}): ${lines.length.toLocaleString("en-GB")} lines, ${invoices.size.toLocaleString("en-GB")} kept invoices, ${train.length.toLocaleString("en-GB")} training, ${test.size.toLocaleString("en-GB")} customers evaluated on their last invoice`,
  );

  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "clientele-real-"));
  const shop = await loadShop(work, lines, train, step);
  const { db, storeId, profileOf } = shop;
  try {
    const lastSale = Math.max(...train.map((i) => Date.parse(isoMoment(i.date))));
    const today = Date.now();
    const runs: [string, number, EngineTally][] = [
      [`engine, today (${new Date(today).toISOString().slice(0, 10)})`, today, engineTally()],
      [`engine, day after the last sale`, lastSale + DAY_MS, engineTally()],
    ];
    step("asking the engine");
    const t0 = performance.now();
    for (const [customer, inv] of test) {
      const profileId = profileOf(customer);
      for (const [, now, tally] of runs) tallyCards(tally, suggestForProfile(db, { profileId, storeId, now, limit: LIMIT }), inv.items);
    }
    const perProfile = (performance.now() - t0) / (runs.length * test.size);

    const [todayRun] = runs;
    const ratio = (k: (typeof HOLDOUT_KS)[number]) => (todayRun[2].metrics.at(k).hit / cosine.at(k).hit).toFixed(2);
    printHoldoutTable(`  held-out last invoice, ${LIMIT} cards, history excluded (the README's protocol)`, [
      ...runs.map(([name, , t]): [string, HoldoutMetrics] => [name, t.metrics]),
      ["popularity (README 0.1379 / 0.2069)", popularity],
      ["item-to-item cosine (README 0.2243 / 0.3182)", cosine],
    ]);
    console.log(`  engine today vs cosine: hit@5 ${ratio(5)}×, hit@10 ${ratio(10)}× (target ≥ 1.2× and ≥ 1.0×)`);
    for (const [name, , t] of runs) {
      console.log(
        `  ${name}: ${t.cards.toLocaleString("en-GB")} cards, ${t.anchored.toLocaleString("en-GB")} anchored on a purchase (${t.namesPurchase.toLocaleString("en-GB")} name it in the reason), ${t.popular.toLocaleString("en-GB")} best-seller top-ups, ${t.short} customers under ${LIMIT} cards, ${t.zeroScores} cards scoring 0`,
      );
    }
    console.log(`  the engine as the profile page calls it: ${perProfile.toFixed(1)} ms a profile; store without a stock feed, so cards say "check stock"`);
  } finally {
    closeDatabase(db);
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Choosing the engine's settings without touching the held-out invoices: the training part is split
 * again the same way (each repeat customer's last training invoice held out), loaded and mined, and
 * the engine is asked as the profile page asks (today, the real filters) under several settings:
 * mining's minimum count, anchors, pairs per anchor and the history half-life. Only these figures may
 * choose the product's defaults (RANKING_DEFAULTS, DATABASE_MINING_DEFAULTS); the test table is then
 * run once with them.
 */
async function validateReal(dir: string, keep: string | undefined, choices: { minCounts?: string; grid?: string }): Promise<void> {
  const started = performance.now();
  const step = (what: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0)} s: ${what}\n`);
  const lines = await readRetailLines(path.join(dir, "online_retail_2009.csv.gz"));
  const { train } = splitLastInvoice(invoicesOf(lines));
  const { test: validation, train: inner } = splitLastInvoice(new Map(train.map((i) => [i.id, i])));
  console.log(
    `\nValidation split of the training part: ${inner.length.toLocaleString("en-GB")} invoices load the store, ${validation.size.toLocaleString("en-GB")} customers' last training invoice held out`,
  );
  const baselines = new Baselines(inner);
  const cosine = new HoldoutMetrics();
  const histories = new Map<string, Set<string>>();
  for (const inv of inner)
    if (validation.has(inv.customer))
      for (const item of inv.items) (histories.get(inv.customer) ?? histories.set(inv.customer, new Set()).get(inv.customer)!).add(item);
  for (const [customer, inv] of validation) cosine.add(baselines.cosine(histories.get(customer) ?? new Set(), LIMIT), inv.items);
  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "clientele-validate-"));
  const { db, storeId, profileOf } = await loadShop(work, lines, inner, step, false);
  try {
    const now = Date.now();
    const rows: [string, HoldoutMetrics][] = [["item-to-item cosine on this split", cosine]];
    const minCounts = (choices.minCounts ?? `${DATABASE_MINING_DEFAULTS.minCount}`).split(",").map(Number);
    const grid: RankingSettings[] = choices.grid
      ? (JSON.parse(choices.grid) as Partial<RankingSettings>[]).map((g) => ({ ...RANKING_DEFAULTS, ...g }))
      : [RANKING_DEFAULTS];
    const topK = Math.max(DATABASE_MINING_DEFAULTS.topK, ...grid.map((g) => g.pairsPerAnchor));
    for (const minCount of minCounts) {
      step(`mining, at least ${minCount} baskets a pair`);
      mineDatabase(db, { ...DATABASE_MINING_DEFAULTS, minCount, topK });
      step("asking the engine");
      const tallies = grid.map(() => new HoldoutMetrics());
      for (const [customer, inv] of validation) {
        const profileId = profileOf(customer);
        grid.forEach((ranking, v) =>
          tallies[v].add(
            suggestForProfile(db, { profileId, storeId, now, limit: LIMIT, ranking }).map((c) => c.style),
            inv.items,
          ),
        );
      }
      grid.forEach((g, v) =>
        rows.push([`min ${minCount}, ${g.anchors}×${g.pairsPerAnchor}, ${g.halfLifeDays} d, next ×${g.nextWeight}, season ^${g.seasonWeight}`, tallies[v]]),
      );
    }
    printHoldoutTable("  the engine on the validation split (today's date, the real filters)", rows);
  } finally {
    closeDatabase(db);
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      real: { type: "string" },
      validate: { type: "boolean", default: false },
      "min-counts": { type: "string" },
      grid: { type: "string" },
      keep: { type: "string" },
      db: { type: "string" },
      rules: { type: "string" },
      groceries: { type: "string", default: path.resolve("../shared/data/groceries/groceries_baskets.csv") },
      seed: { type: "string", default: "1" },
    },
    strict: true,
  });
  if (values.real && values.validate) return validateReal(path.resolve(values.real), values.keep, { minCounts: values["min-counts"], grid: values.grid });
  if (values.real) await evaluateReal(path.resolve(values.real), values.keep);
  const file = cliDatabasePath(values.db);
  if (fs.existsSync(file)) evaluateDatabase(file, values.rules);
  else if (values.real) console.log(`\n(no demo database at ${file} for the synthetic table: run npm start once, or pass --db)`);
  else throw new Error(`No database at ${file}: run npm start once, or pass --db (or --real DIR for the real shoppers).`);
  if (fs.existsSync(values.groceries)) await evaluateGroceries(values.groceries, Number(values.seed));
  else console.log(`\n(no Groceries file at ${values.groceries}: pass --groceries)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
