"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { unmergeAction } from "@/lib/actions/duplicates";
import type { MergeHistoryEntry, RecordJoin, SplitChoice, SplitResult } from "@/lib/identity/merge";
import { formatProbability } from "@/lib/identity/probability";
import { Button } from "../ui/button";
import { MatchWaterfall } from "./match-waterfall";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";
import { AlertText } from "../ui/alert-text";
import { ConfirmStep } from "../ui/confirm-step";
import { SplitRecords } from "./split-records";

/**
 * A profile's merges, unmerges and splits, and the records the match model joined to it on arrival;
 * a merge into it can be undone, giving the other customer back their own records and orders, and
 * records that are someone else's can be split off to a new customer (`records`: what may be split).
 */
export function MergeHistory({
  profileId,
  entries,
  joins = [],
  records = [],
}: {
  profileId: number;
  entries: MergeHistoryEntry[];
  joins?: RecordJoin[];
  records?: SplitChoice[];
}) {
  const router = useRouter();
  /** The records ticked when the split form opened; null while it is closed. */
  const [splitting, setSplitting] = useState<number[] | null>(null);
  const [split, setSplit] = useState<(SplitResult & { opens: boolean }) | null>(null);
  const canSplit = records.length > 1;
  /** The record and those sharing its email, phone or card; the record alone where that is every record (one person's, or a household's). */
  const groupOf = (recordId: number) => {
    const group = records.find((r) => r.id === recordId)?.group;
    const members = records.filter((r) => r.group === group).map((r) => r.id);
    return members.length === records.length ? [recordId] : members;
  };
  /** The merge whose undo is being confirmed; null while none is. */
  const [unmerging, setUnmerging] = useState<number | null>(null);
  const undo = useMutation({
    mutationFn: (mergeEventId: number) => unwrap(unmergeAction({ mergeEventId })),
    onSuccess: () => (setUnmerging(null), router.refresh()),
  });
  return (
    <Panel headingId="merge-history-heading" title="Merge history">
      <ul className="mt-2 flex flex-col gap-3 text-sm">
        {entries.map((e) => {
          // An unmerge gives back the absorbed customer, whichever customer's page it is done from.
          const restored = e.absorbedId;
          return (
            <li key={e.id} className="flex flex-col gap-1">
              <p>
                <EventText entry={e} profileId={profileId} /> · {formatDate(e.at)}
              </p>
              <p className="text-stone-600">
                {e.cause}
                {e.staffName ? ` · ${e.staffName}` : " · automatic"}
              </p>
              {e.evidence && (
                <details>
                  <summary className="cursor-pointer py-3 text-brand-800 underline">
                    {e.kind !== "split" ? "Why it was merged" : e.staffName ? "Why they had been joined" : "Why the match model split them off"}
                  </summary>
                  <MatchWaterfall evidence={e.evidence} title="The match model's evidence" />
                </details>
              )}
              {e.undoable &&
                !(undo.isSuccess && undo.variables === e.id) &&
                (unmerging === e.id ? (
                  <ConfirmStep
                    question={`Unmerge customer ${restored}?`}
                    confirm={undo.isPending ? "Unmerging…" : "Confirm unmerge"}
                    busy={undo.isPending}
                    onConfirm={() => undo.mutate(e.id)}
                    onCancel={() => (setUnmerging(null), undo.reset())}
                    returnFocusTo={`unmerge-${e.id}`}
                    className="mt-1 rounded-xl bg-stone-50 p-3 ring-1 ring-stone-200"
                  >
                    <p>
                      Customer {restored} gets their own profile back, with the records, identifiers, orders and visits they brought to the merge. The two are
                      then remembered as not the same person: never suggested or merged automatically again.
                    </p>
                  </ConfirmStep>
                ) : (
                  <Button
                    id={`unmerge-${e.id}`}
                    variant="secondary"
                    className="self-start"
                    disabled={undo.isPending}
                    onClick={() => (undo.reset(), setUnmerging(e.id))}
                    aria-label={`Unmerge customer ${restored}…`}
                  >
                    Unmerge…
                  </Button>
                ))}
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
            {canSplit && (
              <Button
                variant="secondary"
                className="self-start"
                onClick={() => setSplitting(groupOf(j.recordId))}
                aria-label={`Not this customer: split off ${j.source} record ${j.sourceCustomerId}`}
              >
                Not this customer…
              </Button>
            )}
          </li>
        ))}
      </ul>
      {canSplit &&
        (splitting ? (
          <div className="mt-3">
            <SplitRecords
              key={splitting.join()}
              profileId={profileId}
              records={records}
              initial={splitting}
              onClose={() => setSplitting(null)}
              onSplit={(result) => {
                setSplitting(null);
                setSplit(result);
              }}
            />
          </div>
        ) : (
          <Button variant="secondary" className="mt-3" onClick={() => setSplitting([])}>
            Split off records…
          </Button>
        ))}
      {split && (
        <p role="status" className="mt-2 text-emerald-800">
          Split off: {split.records === 1 ? "the record is" : `${split.records} records are`} now{" "}
          {split.opens ? (
            <Link className="font-semibold underline" href={`/customers/${split.newProfileId}`}>
              customer {split.newProfileId}
            </Link>
          ) : (
            `customer ${split.newProfileId} (who shops at another store: head office can open them)`
          )}
          , kept apart from this one.
        </p>
      )}
      <AlertText message={undo.error?.message} className="mt-2" />
      {undo.isSuccess && (
        <p role="status" className="mt-2 text-emerald-800">
          Unmerged: customer {undo.data.restoredId} has their own profile again.
        </p>
      )}
    </Panel>
  );
}

function EventText({ entry: e, profileId }: { entry: MergeHistoryEntry; profileId: number }) {
  const mine = e.survivorId === profileId;
  const other = mine ? e.absorbedId : e.survivorId;
  const link = (id: number) => (
    <Link className="underline" href={`/customers/${id}`}>
      customer {id}
    </Link>
  );
  if (e.kind === "unmerge") return <>Customer {e.absorbedId} split off again</>;
  // An event of a customer merged in here since: its records are this customer's now.
  if (!mine && e.absorbedId !== profileId) {
    return e.kind === "split" ? (
      <>
        Records split off from customer {e.survivorId} (merged in here since) to {link(e.absorbedId)}
      </>
    ) : (
      <>
        Customer {e.absorbedId} merged into customer {e.survivorId}, merged in here since
      </>
    );
  }
  if (e.kind === "split") return mine ? <>Records split off to {link(other)}</> : <>Split off from {link(other)}</>;
  return mine ? <>Customer {other} merged in</> : <>Merged into {link(other)}</>;
}
