"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { FIELD_LABELS } from "@/components/profile/profile-header";
import { mergeAction, previewMergeAction, rejectReviewItemAction } from "@/lib/actions/duplicates";
import type { MergePreview } from "@/lib/identity/merge";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";
import { AlertText } from "../ui/alert-text";

type Props = { reviewItemId: number; profileA: number; profileB: number | null; names: Record<number, string> };

/** Merge (always after its dry run) or "not the same person" for one review item. */
export function ReviewDecision({ reviewItemId, profileA, profileB, names }: Props) {
  const router = useRouter();
  const preview = useMutation({ mutationFn: () => unwrap(previewMergeAction({ profileA, profileB: profileB!, reviewItemId })) });
  const merge = useMutation({
    mutationFn: () => unwrap(mergeAction({ profileA, profileB: profileB!, reviewItemId })),
    onSuccess: (r) => router.push(`/customers/${r.survivorId}`),
  });
  const reject = useMutation({
    mutationFn: () => unwrap(rejectReviewItemAction({ reviewItemId })),
    onSuccess: () => router.push("/duplicates"),
  });
  const busy = preview.isPending || merge.isPending || reject.isPending;
  const error = preview.error ?? merge.error ?? reject.error;
  return (
    <Panel headingId="decision-heading" title="Decision" className="flex flex-col gap-3">
      {preview.data ? (
        <MergeSummary preview={preview.data} names={names} />
      ) : (
        <p className="text-stone-600">
          {profileB === null ? "This item concerns one identifier, not a pair." : "Check the merge before making it: nothing changes until you confirm."}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {profileB !== null && !preview.data && (
          <Button disabled={busy} onClick={() => preview.mutate()}>
            Check merge…
          </Button>
        )}
        {preview.data && (
          <>
            <Button disabled={busy} onClick={() => merge.mutate()}>
              Confirm merge
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => preview.reset()}>
              Cancel
            </Button>
          </>
        )}
        <Button variant="secondary" disabled={busy} onClick={() => reject.mutate()}>
          {profileB === null ? "Dismiss" : "Not the same person"}
        </Button>
      </div>
      <AlertText message={error?.message} />
    </Panel>
  );
}

function MergeSummary({ preview, names }: { preview: MergePreview; names: Record<number, string> }) {
  const both = (c: { survivor: number; absorbed: number }) => `${c.survivor} + ${c.absorbed} = ${c.survivor + c.absorbed}`;
  return (
    <div className="flex flex-col gap-2" aria-label="What the merge would change">
      <p>
        <strong>{names[preview.absorbedId]}</strong> (customer {preview.absorbedId}) would be merged into <strong>{names[preview.survivorId]}</strong> (customer{" "}
        {preview.survivorId}, the older profile). The old number keeps working and leads to the merged profile.
      </p>
      {preview.changes.length === 0 ? (
        <p className="text-stone-600">No detail on the surviving profile would change.</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {preview.changes.map((c) => (
            <li key={c.field}>
              {FIELD_LABELS[c.field] ?? c.field}: {c.before.value === c.after.value ? null : <>{c.before.value ?? "none"} → </>}
              <strong>{c.after.value ?? "none"}</strong>
              {c.after.lineage && (
                <span className="text-sm text-stone-600">
                  {" "}
                  ({c.before.value === c.after.value ? "unchanged, now " : ""}from {c.after.lineage.source}, updated {formatDate(c.after.lineage.updatedAt)})
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm text-stone-700">
        Records from our systems {both(preview.records)} · identifiers {both(preview.identifiers)} · orders {both(preview.orders)} · browsing and visits{" "}
        {both(preview.interactions)}
      </p>
    </div>
  );
}
