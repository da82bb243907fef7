import type { MatchEvidence } from "@/lib/identity/match-model";
import { formatProbability } from "@/lib/identity/probability";

const signed = (w: number) => `${w >= 0 ? "+" : "−"}${Math.abs(w).toFixed(1)}`;

/**
 * Why the match model scored a pair as it did: the starting odds, each comparison's weight in plain
 * words (log2 of how much likelier that agreement is for one person than for two), and the result.
 */
export function MatchWaterfall({ evidence, title = "Why the system thinks so" }: { evidence: MatchEvidence; title?: string }) {
  const max = Math.max(1, ...evidence.parts.map((p) => Math.abs(p.weight)), Math.abs(evidence.prior));
  return (
    <figure className="flex flex-col gap-1 text-sm">
      <figcaption className="font-semibold">{title}</figcaption>
      <ul className="flex flex-col gap-1" aria-label="Evidence and its weight">
        <li className="flex items-center justify-between gap-3 text-stone-600">
          <span>two customers picked at random are rarely one person</span>
          <span className="tabular-nums">{signed(evidence.prior)}</span>
        </li>
        {evidence.parts.map((p) => (
          <li key={p.comparison} className="flex items-center justify-between gap-3">
            <span>{p.text}</span>
            <span className="flex items-center gap-2">
              <span
                aria-hidden
                className={`inline-block h-2 rounded ${p.weight >= 0 ? "bg-emerald-600" : "bg-red-600"}`}
                style={{ width: `${(Math.abs(p.weight) / max) * 6}rem` }}
              />
              <span className={`w-12 text-right tabular-nums ${p.weight >= 0 ? "text-emerald-800" : "text-red-800"}`}>{signed(p.weight)}</span>
            </span>
          </li>
        ))}
        <li className="flex items-center justify-between gap-3 border-t border-stone-200 pt-1 font-semibold">
          <span>total {signed(evidence.weight)}</span>
          <span>{formatProbability(evidence.probability)} the same person</span>
        </li>
      </ul>
    </figure>
  );
}
