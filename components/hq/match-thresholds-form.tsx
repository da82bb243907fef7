"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { previewMatchThresholdsAction, saveMatchThresholdsAction } from "@/lib/actions/hq";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

/** The two thresholds, with a dry run of the nightly pass on today's store before saving. */
export function MatchThresholdsForm({ automatic, review }: { automatic: number; review: number }) {
  const router = useRouter();
  const [auto, setAuto] = useState(String(automatic));
  const [rev, setRev] = useState(String(review));
  const input = () => ({ automatic: num(auto), review: num(rev) });
  const preview = useMutation({ mutationFn: () => unwrap(previewMatchThresholdsAction(input())) });
  const save = useMutation({ mutationFn: () => unwrap(saveMatchThresholdsAction(input())), onSuccess: () => router.refresh() });
  const errors = { ...fieldErrorsOf(preview.error), ...fieldErrorsOf(save.error) };
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <form onSubmit={submit} noValidate aria-label="Match thresholds" className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="threshold-auto" label="Merge automatically from" error={errors.automatic?.[0]} hint="Match probability, e.g. 0.99: odds of 99 to 1.">
          {(control) => <input {...control} inputMode="decimal" value={auto} onChange={(e) => setAuto(e.target.value)} className={`${inputClass} w-28`} />}
        </Field>
        <Field id="threshold-review" label="Ask a reviewer from" error={errors.review?.[0]} hint="Below this, pairs are left alone.">
          {(control) => <input {...control} inputMode="decimal" value={rev} onChange={(e) => setRev(e.target.value)} className={`${inputClass} w-28`} />}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" disabled={preview.isPending} onClick={() => preview.mutate()}>
          {preview.isPending ? "Counting…" : "Dry run on today's store"}
        </Button>
        <Button type="submit" variant="secondary" disabled={save.isPending}>
          Save
        </Button>
      </div>
      <p role="status" className={preview.isError || save.isError ? "text-red-800" : "text-stone-700"}>
        {preview.isError
          ? preview.error.message
          : save.isError
            ? save.error.message
            : save.isSuccess
              ? "Saved. Imports and the nightly pass use these from now on."
              : preview.data
                ? `With these thresholds the nightly pass would make ${preview.data.merges.toLocaleString("en-GB")} merges and ${preview.data.reviewItems.toLocaleString("en-GB")} new review items (${preview.data.comparisons.toLocaleString("en-GB")} pairs compared)${preview.data.splits ? `, and split ${preview.data.splits.toLocaleString("en-GB")} groups of records off customers they no longer belong with` : ""}.`
                : ""}
      </p>
    </form>
  );
}
