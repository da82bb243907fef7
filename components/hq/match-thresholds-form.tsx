"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { previewMatchThresholdsAction, saveMatchThresholdsAction } from "@/lib/actions/hq";
import type { ThresholdsPreview } from "@/lib/hq/identity";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

type Thresholds = { automatic: number; review: number };

/** What one press of Dry run or Save sent and got back. */
type Outcome = { kind: "preview"; counts: ThresholdsPreview } | { kind: "save" };

/** "1 merge", "2 merges", "1,204 merges". */
const counted = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

const countsText = (p: ThresholdsPreview) =>
  `With these thresholds the nightly pass would make ${counted(p.merges, "merge", "merges")} and ${counted(p.reviewItems, "new review item", "new review items")} (${counted(p.comparisons, "pair", "pairs")} compared)${p.splits ? `, and split ${counted(p.splits, "group", "groups")} of records off customers they no longer belong with` : ""}.`;

/**
 * The two thresholds, with a dry run of the nightly pass on today's store before saving. Dry run
 * and Save are one mutation, so each press replaces the last one's message and field errors; the
 * dry run's counts are shown only while the fields still hold the values they were counted for.
 */
export function MatchThresholdsForm({ automatic, review }: { automatic: number; review: number }) {
  const router = useRouter();
  const [auto, setAuto] = useState(String(automatic));
  const [rev, setRev] = useState(String(review));
  const input = (): Thresholds => ({ automatic: num(auto), review: num(rev) });
  const submit = useMutation({
    mutationFn: async ({ kind, thresholds }: { kind: Outcome["kind"]; thresholds: Thresholds }): Promise<Outcome> =>
      kind === "preview"
        ? { kind, counts: await unwrap(previewMatchThresholdsAction(thresholds)) }
        : (await unwrap(saveMatchThresholdsAction(thresholds)), { kind }),
    onSuccess: ({ kind }) => {
      if (kind === "save") router.refresh();
    },
  });
  const errors = fieldErrorsOf(submit.error);
  const sent = submit.variables?.thresholds;
  const current = input();
  const stale = sent !== undefined && (sent.automatic !== current.automatic || sent.review !== current.review);
  const onSubmit = (e: FormEvent) => (e.preventDefault(), submit.mutate({ kind: "save", thresholds: input() }));
  const pending = submit.isPending ? submit.variables.kind : null;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Match thresholds" className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="threshold-auto" label="Merge automatically from" error={errors.automatic?.[0]} hint="Match probability, e.g. 0.99: odds of 99 to 1.">
          {(control) => <input {...control} inputMode="decimal" value={auto} onChange={(e) => setAuto(e.target.value)} className={`${inputClass} w-28`} />}
        </Field>
        <Field id="threshold-review" label="Ask a reviewer from" error={errors.review?.[0]} hint="Below this, pairs are left alone.">
          {(control) => <input {...control} inputMode="decimal" value={rev} onChange={(e) => setRev(e.target.value)} className={`${inputClass} w-28`} />}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" disabled={pending !== null} onClick={() => submit.mutate({ kind: "preview", thresholds: input() })}>
          {pending === "preview" ? "Counting…" : "Dry run on today's store"}
        </Button>
        <Button type="submit" variant="secondary" disabled={pending !== null}>
          {pending === "save" ? "Saving…" : "Save"}
        </Button>
      </div>
      <p role="status" className={submit.isError ? "text-red-800" : "text-stone-700"}>
        {submit.isError
          ? submit.error.message
          : submit.data?.kind === "save"
            ? "Saved. Imports and the nightly pass use these from now on."
            : submit.data?.kind === "preview"
              ? stale
                ? "The thresholds have changed since the dry run: run it again to count with these."
                : countsText(submit.data.counts)
              : ""}
      </p>
    </form>
  );
}
