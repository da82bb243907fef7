"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { recomputeGoldenAction, reorderSourcesAction, updateSourceAction } from "@/lib/actions/hq";
import type { SourceRow } from "@/lib/hq/identity";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";

/** Most trusted first. Moving a source renumbers them all 10, 20, 30… in the new order. */
export function SourceList({ sources }: { sources: SourceRow[] }) {
  const router = useRouter();
  const move = useMutation({
    mutationFn: ({ index, by }: { index: number; by: -1 | 1 }) => {
      const ids = sources.map((s) => s.id);
      [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
      return unwrap(reorderSourcesAction({ orderedIds: ids }));
    },
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-3" aria-label="Sources, most trusted first">
        {sources.map((s, i) => (
          <li key={s.id} aria-label={s.label} data-testid="source-row" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p>
                <span className="mr-2 text-sm font-semibold text-stone-600">{i + 1}.</span>
                <span className="text-lg font-semibold">{s.label}</span> <span className="font-mono text-sm text-stone-600">{s.name}</span>{" "}
                <span className="text-sm text-stone-700">· trust rank {s.trustRank}</span>
              </p>
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  disabled={i === 0 || move.isPending}
                  onClick={() => move.mutate({ index: i, by: -1 })}
                  aria-label={`Trust ${s.label} more`}
                >
                  ↑ More trusted
                </Button>
                <Button
                  variant="secondary"
                  disabled={i === sources.length - 1 || move.isPending}
                  onClick={() => move.mutate({ index: i, by: 1 })}
                  aria-label={`Trust ${s.label} less`}
                >
                  ↓ Less
                </Button>
              </div>
            </div>
            <SourceEdit key={`${s.trustRank}-${s.label}`} source={s} />
          </li>
        ))}
      </ol>
      <AlertText message={move.error?.message} />
    </div>
  );
}

function SourceEdit({ source }: { source: SourceRow }) {
  const router = useRouter();
  const [label, setLabel] = useState(source.label);
  const [rank, setRank] = useState(String(source.trustRank));
  const save = useMutation({
    mutationFn: () => unwrap(updateSourceAction({ sourceId: source.id, label, trustRank: rank.trim() === "" ? Number.NaN : Number(rank) })),
    onSuccess: () => router.refresh(),
  });
  const errors = fieldErrorsOf(save.error);
  const id = (f: string) => `source-${source.id}-${f}`;
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${source.label}`} className="flex flex-wrap items-end gap-3">
      <Field id={id("label")} label="Name shown to staff" error={errors.label?.[0]}>
        {(control) => <input {...control} value={label} onChange={(e) => setLabel(e.target.value)} className={inputClass} />}
      </Field>
      <Field id={id("rank")} label="Trust rank (lower wins)" error={errors.trustRank?.[0]}>
        {(control) => <input {...control} inputMode="numeric" value={rank} onChange={(e) => setRank(e.target.value)} className={`${inputClass} w-28`} />}
      </Field>
      <Button type="submit" variant="secondary" disabled={save.isPending}>
        Save
      </Button>
      {save.isError && !errors.label && !errors.trustRank && (
        <p role="alert" className="text-sm text-red-800">
          {save.error.message}
        </p>
      )}
    </form>
  );
}

type Progress = { processed: number; remaining: number; done: boolean };

/** Re-runs survivorship over every profile a batch at a time, so a new trust order reaches existing golden records. */
export function RecomputeGolden() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const run = useMutation({
    mutationFn: async () => {
      let afterId = 0;
      let processed = 0;
      for (;;) {
        const batch = await unwrap(recomputeGoldenAction({ afterId }));
        processed += batch.processed;
        setProgress({ processed, remaining: batch.remaining, done: batch.done });
        if (batch.done) return processed;
        afterId = batch.lastId;
      }
    },
    onMutate: () => setProgress({ processed: 0, remaining: 0, done: false }),
  });
  const total = progress ? progress.processed + progress.remaining : 0;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" disabled={run.isPending} onClick={() => run.mutate()} title="Recompute golden profiles: survivorship over every profile">
          {run.isPending ? "Updating profiles…" : "Update every customer profile from the source order"}
        </Button>
        <p role="status" className="text-stone-700">
          {run.isError
            ? ""
            : progress?.done
              ? `Done: ${progress.processed} profiles updated.`
              : progress && total > 0
                ? `${progress.processed} of ${total} profiles…`
                : ""}
        </p>
      </div>
      {run.isPending && total > 0 && <progress max={total} value={progress?.processed ?? 0} className="h-3 w-full" aria-label="Recompute progress" />}
      {run.isError && (
        <p role="alert" className="text-red-800">
          Stopped after {progress?.processed ?? 0} profiles: {run.error.message}
        </p>
      )}
    </div>
  );
}
