"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { splitRecordsAction } from "@/lib/actions/duplicates";
import type { SplitChoice, SplitResult } from "@/lib/identity/merge";
import { Button } from "../ui/button";
import { AlertText } from "../ui/alert-text";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";

/** The fields that tell two people's records apart, after the name, in the order staff compare them. */
const SHOWN = ["birthDate", "email", "phone", "loyaltyId", "postcode", "city"] as const;

const describe = ({ fields }: SplitChoice) => {
  const name = [fields.firstName, fields.lastName].filter(Boolean).join(" ");
  return [name, ...SHOWN.map((f) => fields[f])].filter(Boolean).join(" · ") || "no details";
};

/**
 * Staff tick the records that are someone else's and move them to a new customer of their own.
 * Ticking a record ticks the records that share its email, phone or loyalty card too (its group),
 * since leaving one of them behind would keep that person on both profiles.
 */
export function SplitRecords({
  profileId,
  records,
  initial,
  onClose,
  onSplit,
}: {
  profileId: number;
  records: SplitChoice[];
  initial: number[];
  onClose: () => void;
  onSplit: (result: SplitResult & { opens: boolean }) => void;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState(() => new Set(initial));
  const split = useMutation({
    mutationFn: (recordIds: number[]) => unwrap(splitRecordsAction({ profileId, recordIds, shown: records.map((r) => r.id) })),
    onSuccess: (result) => {
      onSplit(result);
      router.refresh();
    },
  });
  const toggle = (r: SplitChoice, on: boolean) => {
    const next = new Set(chosen);
    if (on) for (const x of records) if (x.group === r.group) next.add(x.id);
    if (!on) next.delete(r.id);
    setChosen(next);
  };
  const all = chosen.size === records.length;
  // A group split between the two customers leaves its email, phone or card with both.
  const divided = records.some((r) => chosen.has(r.id) && records.some((x) => x.group === r.group && !chosen.has(x.id)));
  return (
    <form
      aria-labelledby="split-heading"
      className="flex flex-col gap-3 rounded-xl bg-stone-50 p-3 ring-1 ring-stone-200"
      onSubmit={(e) => {
        e.preventDefault();
        split.mutate([...chosen]);
      }}
    >
      <h3 id="split-heading" className="font-semibold">
        Split records off to a new customer
      </h3>
      <p className="text-stone-600">
        Tick the records that belong to someone else. They move with their orders to a new customer, and the two are never matched again.
      </p>
      <fieldset className="flex flex-col gap-2">
        <legend className="sr-only">Records of customer {profileId}</legend>
        {records.map((r) => (
          <label key={r.id} className="flex min-h-11 items-start gap-3 rounded-xl bg-white p-3 ring-1 ring-stone-300">
            <input type="checkbox" className="mt-1 size-5 shrink-0" checked={chosen.has(r.id)} onChange={(e) => toggle(r, e.target.checked)} />
            <span className="flex min-w-0 flex-col">
              <span className="font-semibold">
                {r.source} {r.sourceCustomerId}
              </span>
              <span className="break-words text-stone-700">{describe(r)}</span>
              <span className="text-stone-500">updated {formatDate(r.updatedAt)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {all && <p className="text-amber-900">Leave at least one record with this customer.</p>}
      {divided && !all && (
        <p className="text-amber-900">
          Some ticked records share an email, phone or loyalty card with records that stay: both customers will hold it, as a family sharing a phone does.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={chosen.size === 0 || all || split.isPending}>
          {split.isPending ? "Splitting…" : `Move ${chosen.size} ${chosen.size === 1 ? "record" : "records"} to a new customer`}
        </Button>
        <Button type="button" variant="secondary" onClick={onClose} disabled={split.isPending}>
          Cancel
        </Button>
      </div>
      <AlertText message={split.error?.message} />
    </form>
  );
}
