/**
 * `npm run mine`: exact association rules with arules' conventions (lib/suggest/mining.ts), from a
 * basket file or from the orders in the database. `--help` prints the options.
 */
import fs from "node:fs";
import { csvRow } from "@/lib/csv";
import { readBaskets } from "@/lib/suggest/baskets";
import { DATABASE_MINING_DEFAULTS, mineDatabase, type MiningProgress } from "@/lib/suggest/mine-database";
import { BasketStore, checkMiningOptions, compareRules, minSupportCount, type Rule } from "@/lib/suggest/mining";
import { UsageError, runCli } from "./cli";

const USAGE = `File mode: any basket file, one basket per line, items comma-separated.
  tsx scripts/mine.ts --baskets file.csv [--min-support 0.1] [--min-confidence 0.8]
                      [--min-len 1] [--max-len 10] [--out rules.csv]
  Defaults are arules'. Writes lhs,rhs,support,confidence,lift,count, best lift first.

Database mode (no --baskets): complementary styles for the clienteling app.
  tsx scripts/mine.ts [--db data/clientele.db] [--window-days 90] [--min-count 5] [--min-support 0]
                      [--min-confidence 0] [--min-lift 1] [--top-k 20]
  Baskets are the styles of each order and of each customer's orders within --window-days of the
  window's first order. The best --top-k {anchor} => {suggest} rules per anchor style, by the
  suggestion engine's strength (confidence × lift / (1 + lift)), replace the contents of association_rules. A pair needs --min-count baskets (and
  --min-support as a fraction, if stricter). --db defaults to $DATABASE_PATH, then data/clientele.db.`;

/** A redrawn status line on a terminal; a plain line every 10 s otherwise (CI logs, cron mail). */
function progressLine(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): MiningProgress {
  const started = performance.now();
  let drawnAt = started;
  let drawn = false;
  const render = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const eta = rate > 0 && total > done ? `, ETA ${formatSeconds((total - done) / rate)}` : "";
    const share = total > 0 ? ` (${((100 * done) / total).toFixed(1)}%)` : "";
    return `${label}: ${done.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")}${share}, ${Math.round(rate).toLocaleString("en-GB")}/s${eta}`;
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - drawnAt < (stream.isTTY ? 200 : 10_000)) return;
      drawnAt = now;
      drawn = true;
      stream.write(stream.isTTY ? `\r${render(done)}\x1b[K` : `${render(done)}\n`);
    },
    finish() {
      if (drawn && stream.isTTY) stream.write("\n");
    },
  };
}

function formatSeconds(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** arules' itemset label: {a,b}. */
function itemsetLabel(items: string[]): string {
  return `{${items.join(",")}}`;
}

function writeRulesCsv(file: string, rules: Rule[]): void {
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, "lhs,rhs,support,confidence,lift,count\n");
    for (let i = 0; i < rules.length; i += 10_000) {
      const lines = rules.slice(i, i + 10_000).map((r) => csvRow([itemsetLabel(r.lhs), itemsetLabel([r.rhs]), r.support, r.confidence, r.lift, r.count], ""));
      fs.writeSync(fd, `${lines.join("\n")}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

type FileMiningOptions = {
  baskets: string;
  minSupport: number;
  minConfidence: number;
  minLen: number;
  maxLen: number;
  out?: string;
};

async function mineFile(options: FileMiningOptions): Promise<void> {
  checkMiningOptions(options);
  const started = performance.now();
  const input = fs.createReadStream(options.baskets);
  const progress = progressLine("bytes read", fs.statSync(options.baskets).size);
  const store = new BasketStore();
  for await (const basket of readBaskets(input, options.baskets)) {
    store.add(basket);
    if ((store.basketCount & 0xfff) === 0) progress.update(input.bytesRead);
  }
  progress.finish();
  const read = performance.now();
  process.stderr.write(`mining ${store.basketCount} baskets…\n`);

  const result = store.mine(options);
  const rules = result.rules.sort(compareRules);
  const mined = performance.now();
  if (options.out) writeRulesCsv(options.out, rules);
  const written = performance.now();

  const byLength = new Map<number, number>();
  for (const rule of rules) byLength.set(rule.lhs.length + 1, (byLength.get(rule.lhs.length + 1) ?? 0) + 1);
  const lengths = [...byLength].sort(([a], [b]) => a - b);
  const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(2);
  console.log(
    [
      `baskets:            ${result.basketCount}`,
      `items:              ${result.itemCount}`,
      `min support count:  ${minSupportCount(result.basketCount, options.minSupport)}`,
      `frequent itemsets:  ${result.frequentItemsetCount}`,
      `rules:              ${rules.length}${lengths.length ? ` (${lengths.map(([len, n]) => `${n} of length ${len}`).join(", ")})` : ""}`,
      ...(rules.length ? [`top by lift:        ${itemsetLabel(rules[0].lhs)} => {${rules[0].rhs}} lift ${rules[0].lift.toPrecision(7)}`] : []),
      `time:               ${seconds(started, written)} s (read ${seconds(started, read)}, mine ${seconds(read, mined)}, write ${seconds(mined, written)})`,
      `peak RSS:           ${peakRssMb()} MB`,
      ...(options.out ? [`written:            ${options.out}`] : []),
    ].join("\n"),
  );
}

function numberOption(values: Record<string, string | boolean | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got ${String(raw)}`);
  return value;
}

runCli(import.meta.url, {
  usage: USAGE,
  options: {
    baskets: { type: "string" },
    out: { type: "string" },
    "min-support": { type: "string" },
    "min-confidence": { type: "string" },
    "min-len": { type: "string" },
    "max-len": { type: "string" },
    "min-count": { type: "string" },
    "min-lift": { type: "string" },
    "window-days": { type: "string" },
    "top-k": { type: "string" },
  },
  async run({ values, file, db }) {
    if (values.baskets) {
      await mineFile({
        baskets: values.baskets,
        minSupport: numberOption(values, "min-support", 0.1),
        minConfidence: numberOption(values, "min-confidence", 0.8),
        minLen: numberOption(values, "min-len", 1),
        maxLen: numberOption(values, "max-len", 10),
        out: values.out,
      });
      return;
    }
    const started = performance.now();
    const summary = mineDatabase(
      db(),
      {
        windowDays: numberOption(values, "window-days", DATABASE_MINING_DEFAULTS.windowDays),
        minCount: numberOption(values, "min-count", DATABASE_MINING_DEFAULTS.minCount),
        minSupport: numberOption(values, "min-support", DATABASE_MINING_DEFAULTS.minSupport),
        minConfidence: numberOption(values, "min-confidence", DATABASE_MINING_DEFAULTS.minConfidence),
        minLift: numberOption(values, "min-lift", DATABASE_MINING_DEFAULTS.minLift),
        topK: numberOption(values, "top-k", DATABASE_MINING_DEFAULTS.topK),
      },
      (total) => progressLine("order lines", total),
    );
    console.log(
      [
        `database:           ${file}`,
        `order lines:        ${summary.lines}`,
        `baskets:            ${summary.orderBaskets + summary.customerBaskets} (${summary.orderBaskets} orders, ${summary.customerBaskets} customer windows)`,
        `styles:             ${summary.styles}`,
        `co-occurring pairs: ${summary.pairs} (kept when in >= ${summary.minCount} baskets)`,
        `rules stored:       ${summary.rulesStored} for ${summary.anchors} anchor styles`,
        `season sellers:     ${summary.seasons} seasons (stores and the chain)`,
        `style trends:       ${summary.trendStyles} styles (season and year orders)`,
        `time:               ${((performance.now() - started) / 1000).toFixed(2)} s`,
        `peak RSS:           ${peakRssMb()} MB`,
      ].join("\n"),
    );
  },
});
