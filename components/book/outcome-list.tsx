export type Outcome = { profileId: number; name: string | null; outcome: string; reason?: string };

const LABELS: Record<string, string> = { assigned: "Assigned", reassigned: "Moved", unchanged: "Already there", created: "Created", refused: "Refused" };

/** Per-customer results of a bulk action: what went through and, for each refusal, why. */
export function OutcomeList({ results, label }: { results: Outcome[]; label: string }) {
  const refused = results.filter((r) => r.outcome === "refused").length;
  return (
    <div role="status" aria-label={label} className="flex flex-col gap-2">
      <p className="font-semibold">
        {results.length - refused} of {results.length} done{refused ? `, ${refused} refused` : ""}.
      </p>
      <ul className="flex max-h-64 flex-col gap-1 overflow-y-auto">
        {results.map((r) => (
          <li
            key={r.profileId}
            className={`rounded-lg px-3 py-2 text-sm ${r.outcome === "refused" ? "bg-red-50 text-red-900" : "bg-emerald-50 text-emerald-900"}`}
          >
            <span className="font-semibold">{r.name ?? `Customer ${r.profileId}`}</span>: {LABELS[r.outcome] ?? r.outcome}
            {r.reason ? ` — ${r.reason}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
