import Link from "next/link";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format";
import { type ItemAssociations, type ItemMatch, describeCompanion } from "@/lib/suggest/associations";
import { Panel } from "@/components/ui/panel";
import { inputClass } from "@/components/ui/field";
import { TableHead, RowHead } from "@/components/ui/table-head";

/** Head office's search over the mined pairs: matching items, then what goes with the one picked. */
export function AssociationsView({
  query,
  matches,
  chosen,
  missing,
}: {
  query: string;
  matches: ItemMatch[];
  chosen: ItemAssociations | null;
  missing: string | null;
}) {
  return (
    <>
      <form method="get" role="search" aria-label="Find an item" className="flex flex-wrap items-end gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm font-semibold">
          Item (name, style or SKU)
          <input type="search" name="q" defaultValue={query} className={inputClass} />
        </label>
        <Button type="submit" variant="secondary">
          Find
        </Button>
      </form>
      {query !== "" && (
        <Panel headingId="matches-heading" title={<>Items matching &ldquo;{query}&rdquo;</>} className="flex flex-col gap-2">
          {matches.length === 0 ? (
            <p className="text-stone-600">No item matches. Try part of the name or the style code.</p>
          ) : (
            <ul className="flex flex-col">
              {matches.map((m) => (
                <li key={m.style} className="border-t border-stone-100 first:border-t-0">
                  <Link
                    href={`/hq/associations?${new URLSearchParams({ q: query, item: m.style })}`}
                    aria-current={chosen?.item.style === m.style ? "true" : undefined}
                    className="flex min-h-11 flex-wrap items-center justify-between gap-2 py-2 text-brand-800 underline-offset-4 hover:underline"
                  >
                    <span>
                      {m.name} <span className="text-stone-600">({m.style})</span>
                    </span>
                    <span className="text-sm text-stone-600">
                      {m.pairs === 0 ? "nothing mined yet" : `${m.pairs} item${m.pairs === 1 ? "" : "s"} bought with it`}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      )}
      {missing !== null && <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No item with style {missing}.</p>}
      {chosen && <Companions chosen={chosen} />}
    </>
  );
}

function Companions({ chosen }: { chosen: ItemAssociations }) {
  const { item, companions, mining } = chosen;
  return (
    <Panel
      headingId="companions-heading"
      title={
        <>
          Bought with the {item.name} ({item.style})
        </>
      }
      className="flex flex-col gap-3"
    >
      <p className="text-sm text-stone-600">
        {[item.category, item.brand].filter(Boolean).join(" · ")}
        {mining ? `${item.category || item.brand ? " · " : ""}mined ${formatDate(mining.minedAt)} from ${mining.baskets.toLocaleString("en-GB")} baskets` : ""}
      </p>
      {companions.length === 0 ? (
        <p className="text-stone-600">Nothing is bought with it often enough to count (at least 5 baskets, more often than chance).</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left">
            <caption className="sr-only">Items bought with the {item.name}, strongest first</caption>
            <TableHead
              className="text-sm text-stone-600"
              cellClassName="px-2 py-2"
              columns={[{ label: "Goes with", className: "py-2 pr-3" }, "Bought together in", "Share of its baskets", "Against chance"]}
            />
            <tbody>
              {companions.map((c) => {
                const words = describeCompanion(item.name, c);
                return (
                  <tr key={c.style} className="border-t border-stone-100 align-top" data-testid="companion-row">
                    <RowHead>
                      <Link
                        href={`/hq/associations?${new URLSearchParams({ q: c.style, item: c.style })}`}
                        className="text-brand-800 underline-offset-4 hover:underline"
                      >
                        {c.name}
                      </Link>{" "}
                      <span className="text-sm text-stone-600">({c.style})</span>
                    </RowHead>
                    <td className="px-2 py-2">{words.together}</td>
                    <td className="px-2 py-2">{words.share}</td>
                    <td className="px-2 py-2">{words.chance}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
