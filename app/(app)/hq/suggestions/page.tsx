import { ConversionWindowForm } from "@/components/hq/conversion-window-form";
import { HqNav } from "@/components/hq/hq-nav";
import { LazyKpiChart } from "@/components/hq/kpi-chart-lazy";
import { Button } from "@/components/ui/button";
import { ScrollTable } from "@/components/ui/scroll-table";
import { formatMoney } from "@/components/ui/format";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { DAY_MS, utcDay, utcDayStart } from "@/lib/days";
import { conversionWindowDays } from "@/lib/suggest/feedback";
import { shelfSettingsOf } from "@/lib/suggest/settings";
import { listStoreNames } from "@/lib/stores/stores";
import { ShelfSettingsForm } from "@/components/suggest/shelf-settings-form";
import { type KpiRow, suggestionKpis } from "@/lib/suggest/kpis";
import { inputClass } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { TableHead, RowHead } from "@/components/ui/table-head";

export const metadata = { title: "Suggestion results" };

const DEFAULT_DAYS = 30;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period from the query string, whole UTC days, `to` inclusive; anything unreadable falls back to the last 30 days. */
function period(raw: { from?: string; to?: string }, now: number) {
  const parse = (v: string | undefined) => (v && DATE.test(v) && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);
  const today = utcDayStart(utcDay(now));
  const to = parse(raw.to) ?? today;
  const from = Math.min(parse(raw.from) ?? to - (DEFAULT_DAYS - 1) * DAY_MS, to);
  return { from, to: to + DAY_MS, fromText: utcDay(from), toText: utcDay(to) };
}

const percent = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

export default async function SuggestionResultsPage({ searchParams }: { searchParams: Promise<{ from?: string; to?: string }> }) {
  await requireStaff(["hq"]);
  const p = period(await searchParams, Date.now());
  const kpis = withDb(suggestionKpis, p);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/suggestions" />
      <h1 className="text-2xl font-bold">Suggestion results</h1>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200" aria-label="Period">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          From
          <input type="date" name="from" defaultValue={p.fromText} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          To
          <input type="date" name="to" defaultValue={p.toText} className={inputClass} />
        </label>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </form>
      <Panel headingId="by-rule-heading" title="By rule" className="flex flex-col gap-3">
        {kpis.byRule.length > 0 && <LazyKpiChart rows={kpis.byRule} />}
        <KpiTable caption="By rule" first="Rule or source" rows={kpis.byRule} total={kpis.total} />
      </Panel>
      <Panel headingId="by-store-heading" title="By store" className="flex flex-col gap-3">
        <KpiTable caption="By store" first="Store" rows={kpis.byStore} total={kpis.total} />
      </Panel>
      <Panel headingId="settings-heading" title="Attribution" className="flex flex-col gap-3">
        <p className="text-stone-600">
          Shown counts every card put on a tablet&apos;s screen, tapped or not. Taken up is accepted ÷ shown (the attach rate); bought later is a later purchase
          of the suggested item by that customer (a conversion), credited as the order arrives (npm run attribute catches up after profiles are merged).
        </p>
        <ConversionWindowForm days={withDb(conversionWindowDays)} />
      </Panel>
      <Panel headingId="shelf-heading" title="Stock on the cards" className="flex flex-col gap-3">
        <p className="text-stone-600">
          A store without stock figures still gets suggestions; its cards ask the assistant to check the stock. Delivery from another store is off unless you
          switch it on.
        </p>
        <ShelfSettingsForm settings={withDb(shelfSettingsOf)} stores={withDb(listStoreNames)} />
      </Panel>
    </div>
  );
}

/** Plain words on the page; the precise term for head office in the tooltip. */
const KPI_COLUMNS: [string, string | undefined][] = [
  ["Shown", undefined],
  ["Accepted", undefined],
  ["Dismissed", undefined],
  ["Bought later", "Converted: bought within the conversion window"],
  ["Taken up", "Attach rate: accepted ÷ shown"],
  ["Bought later, %", "Conversion rate: converted ÷ shown"],
  ["Revenue", "Revenue from converted suggestions"],
];

function KpiTable({ caption, first, rows, total }: { caption: string; first: string; rows: KpiRow[]; total: KpiRow }) {
  if (rows.length === 0) return <p className="text-stone-600">No suggestions were shown in this period.</p>;
  return (
    <ScrollTable label={`${caption}: figures`}>
      <table className="w-full text-left">
        <caption className="sr-only">{caption}</caption>
        <TableHead
          className="text-sm text-stone-600"
          cellClassName="whitespace-nowrap px-2 py-2 text-right"
          columns={[{ label: first, className: "py-2 pr-3" }, ...KPI_COLUMNS.map(([label, title]) => ({ label, title }))]}
        />
        <tbody>
          {[...rows, total].map((r) => (
            <tr key={r.key} className={`border-t border-stone-100 ${r.key === "total" ? "font-semibold" : ""}`}>
              <RowHead>{r.label}</RowHead>
              <td className="px-2 text-right tabular-nums">{r.shown}</td>
              <td className="px-2 text-right tabular-nums">{r.accepted}</td>
              <td className="px-2 text-right tabular-nums">{r.dismissed}</td>
              <td className="px-2 text-right tabular-nums">{r.converted}</td>
              <td className="px-2 text-right tabular-nums">{percent(r.attachRate)}</td>
              <td className="px-2 text-right tabular-nums">{percent(r.conversionRate)}</td>
              <td className="px-2 text-right tabular-nums">{formatMoney(r.revenue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
