"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FIELD_LABELS } from "@/components/profile/profile-header";
import { mergeAction, previewMergeAction, rejectReviewItemAction } from "@/lib/actions/duplicates";
import type { MergePreview } from "@/lib/identity/merge";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";
import { AlertText } from "../ui/alert-text";
import { ConfirmStep } from "../ui/confirm-step";

type Props = { reviewItemId: number; profileA: number; profileB: number | null; names: Record<number, string> };

/**
 * Merge (always after its dry run) or "not the same person" for one review item, each only once
 * confirmed, one question open at a time: a merge is undone only from the profile's merge history,
 * and a pair marked apart is never joined again automatically, with no way back on any page.
 */
export function ReviewDecision({ reviewItemId, profileA, profileB, names }: Props) {
  const router = useRouter();
  const [rejecting, setRejecting] = useState(false);
  const preview = useMutation({ mutationFn: () => unwrap(previewMergeAction({ profileA, profileB: profileB!, reviewItemId })) });
  const merge = useMutation({
    mutationFn: () => unwrap(mergeAction({ profileA, profileB: profileB!, reviewItemId })),
    onSuccess: (r) => router.push(`/customers/${r.survivorId}`),
  });
  const reject = useMutation({
    mutationFn: () => unwrap(rejectReviewItemAction({ reviewItemId })),
    onSuccess: () => router.push("/duplicates"),
  });
  // Still busy once merged or rejected: the page is on its way elsewhere.
  const busy = preview.isPending || merge.isPending || merge.isSuccess || reject.isPending || reject.isSuccess;
  const error = preview.error ?? merge.error ?? reject.error;
  const pair = profileB !== null;
  const checkId = `check-merge-${reviewItemId}`;
  const rejectId = `reject-${reviewItemId}`;
  return (
    <Panel headingId="decision-heading" title="Decision" className="flex flex-col gap-3">
      {preview.data ? (
        <ConfirmStep
          question="Merge these two customers?"
          confirm="Confirm merge"
          busy={busy}
          onConfirm={() => merge.mutate()}
          onCancel={() => (preview.reset(), merge.reset())}
          returnFocusTo={checkId}
        >
          <MergeSummary preview={preview.data} names={names} />
        </ConfirmStep>
      ) : rejecting ? (
        <ConfirmStep
          question={pair ? "Not the same person?" : "Dismiss this item?"}
          confirm={pair ? "Confirm: not the same person" : "Confirm dismiss"}
          busy={busy}
          onConfirm={() => reject.mutate()}
          onCancel={() => (setRejecting(false), reject.reset())}
          returnFocusTo={rejectId}
        >
          <p>
            {pair ? (
              <>
                The item leaves the queue, and <strong>{names[profileA]}</strong> (customer {profileA}) and <strong>{names[profileB]}</strong> (customer{" "}
                {profileB}) are never merged automatically from now on. This cannot be undone here.
              </>
            ) : (
              "This item concerns one identifier, not a pair: dismissing it takes it off the queue, and the customers holding the identifier stay as they are. It cannot be reopened here."
            )}
          </p>
        </ConfirmStep>
      ) : (
        <>
          <p className="text-stone-600">
            {pair ? "Check the merge before making it: nothing changes until you confirm." : "This item concerns one identifier, not a pair."}
          </p>
          <div className="flex flex-wrap gap-2">
            {pair && (
              <Button id={checkId} disabled={busy} onClick={() => (reject.reset(), preview.mutate())}>
                Check merge…
              </Button>
            )}
            <Button id={rejectId} variant="secondary" disabled={busy} onClick={() => (preview.reset(), setRejecting(true))}>
              {pair ? "Not the same person…" : "Dismiss…"}
            </Button>
          </div>
        </>
      )}
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
