"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { SuggestionRuleStatus } from "@/lib/suggest/types";
import { duplicateRuleAction, setRuleStatusAction } from "@/lib/actions/suggest";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";

/** Publish, deactivate, back to draft and duplicate: the same buttons on the list and in the editor. */
export function RuleActions({
  id,
  name,
  status,
  onStatus,
}: {
  id: number;
  name: string;
  status: SuggestionRuleStatus;
  onStatus?: (status: SuggestionRuleStatus, updatedAt: number) => void;
}) {
  const router = useRouter();
  const setStatus = useMutation({
    mutationFn: (next: SuggestionRuleStatus) => unwrap(setRuleStatusAction({ id, status: next })),
    onSuccess: (r) => {
      onStatus?.(r.status, r.updatedAt);
      router.refresh();
    },
  });
  const duplicate = useMutation({
    mutationFn: () => unwrap(duplicateRuleAction({ id })),
    onSuccess: (r) => router.push(`/hq/rules/${r.id}`),
  });
  const busy = setStatus.isPending || duplicate.isPending;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status !== "published" && (
        <Button variant="primary" disabled={busy} onClick={() => setStatus.mutate("published")} aria-label={`Publish ${name}`}>
          Publish
        </Button>
      )}
      {status === "published" && (
        <Button variant="secondary" disabled={busy} onClick={() => setStatus.mutate("inactive")} aria-label={`Deactivate ${name}`}>
          Deactivate
        </Button>
      )}
      {status === "inactive" && (
        <Button variant="ghost" disabled={busy} onClick={() => setStatus.mutate("draft")} aria-label={`Back to draft ${name}`}>
          Back to draft
        </Button>
      )}
      <Button variant="ghost" disabled={busy} onClick={() => duplicate.mutate()} aria-label={`Duplicate ${name}`}>
        Duplicate
      </Button>
      {(setStatus.isError || duplicate.isError) && (
        <p role="alert" className="text-sm text-red-800">
          {(setStatus.error ?? duplicate.error)?.message}
        </p>
      )}
    </div>
  );
}
