import { COMPARISONS, type MatchModel, levelWeight, priorWeight } from "@/lib/identity/match-model";
import { TableHead, RowHead } from "@/components/ui/table-head";
import { formatDate } from "@/components/ui/format";

const LEVEL_LABELS: Record<string, string> = {
  exact: "same",
  close: "close (one typo)",
  swapped: "first and last swapped",
  similar: "alike",
  initial: "initial only",
  slip: "one slip (digit, day/month)",
  month: "within a month",
  year: "within a year",
  decade: "within ten years",
  local: "same name, other domain",
  alike: "alike (several typos, same numbers)",
  last7: "same last 7 digits",
  kinds: "a landline and a mobile",
  invalid: "one not valid as written",
  sector: "same sector",
  district: "same district",
  digit: "one digit apart",
  else: "different",
};

const levelLabel = (comparison: string, level: string) =>
  comparison === "birth" && level === "else" ? "over ten years apart" : (LEVEL_LABELS[level] ?? level);

const signed = (w: number) => `${w >= 0 ? "+" : "−"}${Math.abs(w).toFixed(1)}`;

/** The model in use: its version and date, and the weight of every level of every comparison. */
export function MatchModelTable({ model }: { model: MatchModel }) {
  return (
    <div className="flex flex-col gap-3">
      <p className="text-stone-700">
        {model.trainedAt === null
          ? "Starting values, not yet estimated from your customers' records. Whoever runs the server re-estimates them with the command npm run identity:train."
          : `Version ${model.version}, estimated on ${formatDate(model.trainedAt)} from ${model.records.toLocaleString("en-GB")} records (no labels).`}{" "}
        Starting weight (two customers picked at random): {signed(priorWeight(model))}. Weights are log2 of how much likelier a level is for one person than for
        two; an exact name or city also weighs by how rare it is, and a close one (one typo) never more than that value itself would. A partial agreement never
        weighs more than the same field's exact agreement, and a level of values that cannot be compared well never counts for a match.
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Weight of each comparison level</caption>
          <TableHead
            className="text-stone-600"
            columns={[
              { label: "Comparison", className: "py-1 pr-3" },
              { label: "Levels and weights", className: "py-1" },
            ]}
          />
          <tbody>
            {COMPARISONS.map((c) => (
              <tr key={c.name} className="border-t border-stone-200 align-top">
                <RowHead className="py-1 pr-3 font-medium">{c.label}</RowHead>
                <td className="py-1">{c.levels.map((l) => `${levelLabel(c.name, l.key)} ${signed(levelWeight(model, c.name, l.key))}`).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
