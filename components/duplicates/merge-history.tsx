"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { unmergeAction } from "@/lib/actions/duplicates";
import type { MergeHistoryEntry, RecordJoin } from "@/lib/identity/merge";
import { formatProbability } from "@/lib/identity/probability";
import { Button } from "../ui/button";
import { MatchWaterfall } from "./match-waterfall";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";
import { AlertText } from "../ui/alert-text";

/**
 * A profile's merges and unmerges, and the records the match model joined to it on arrival; a merge
 * into it can be undone, giving the other customer back their own records and orders.
 */
export function MergeHistory({ profileId, entries, joins = [] }: { profileId: number; entries: MergeHistoryEntry[]; joins?: RecordJoin[] }) {
  const router = useRouter();
  const undo = useMutation({ mutationFn: (mergeEventId: number) => unwrap(unmergeAction({ mergeEventId })), onSuccess: () => router.refresh() });
  return (
    <Panel headingId="merge-history-heading" title="Merge history">
      <ul className="mt-2 flex flex-col gap-3 text-sm">
        {entries.map((e) => {
          const other = e.survivorId === profileId ? e.absorbedId : e.survivorId;
          return (
            <li key={e.id} className="flex flex-col gap-1">
              <p>
                {e.kind === "merge"
                  ? e.survivorId === profileId
                    ? `Customer ${other} merged in`
                    : `Merged into customer ${other}`
                  : `Customer ${e.absorbedId} split off again`}{" "}
                · {formatDate(e.at)}
              </p>
              <p className="text-stone-600">
                {e.cause}
                {e.staffName ? ` · ${e.staffName}` : " · automatic"}
              </p>
              {e.evidence && (
                <details>
                  <summary className="cursor-pointer py-3 text-brand-800 underline">Why it was merged</summary>
                  <MatchWaterfall evidence={e.evidence} title="The match model's evidence" />
                </details>
              )}
              {e.undoable && (
                <Button
                  variant="secondary"
                  className="self-start"
                  disabled={undo.isPending}
                  onClick={() => undo.mutate(e.id)}
                  aria-label={`Unmerge customer ${other}`}
                >
                  Unmerge
                </Button>
              )}
            </li>
          );
        })}
        {joins.map((j) => (
          <li key={`join-${j.recordId}`} className="flex flex-col gap-1">
            <p>
              {j.source} record {j.sourceCustomerId} joined · {formatDate(j.at)}
            </p>
            <p className="text-stone-600">match model ({formatProbability(j.evidence.probability)}) · automatic</p>
            <details>
              <summary className="cursor-pointer py-3 text-brand-800 underline">Why it joined</summary>
              <MatchWaterfall evidence={j.evidence} title="The match model's evidence" />
            </details>
          </li>
        ))}
      </ul>
      <AlertText message={undo.error?.message} className="mt-2" />
      {undo.isSuccess && (
        <p role="status" className="mt-2 text-emerald-800">
          Unmerged: customer {undo.data.restoredId} has their own profile again.
        </p>
      )}
    </Panel>
  );
}
