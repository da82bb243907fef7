"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { ApiKeyScope } from "@/lib/api/keys";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/actions/api-keys";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { Choices } from "@/components/ui/choices";
import { Panel } from "@/components/ui/panel";
import { inputClass } from "@/components/ui/field";
import { AlertText } from "../ui/alert-text";

export function ApiKeyCreate({ sources }: { sources: { id: number; label: string }[] }) {
  const router = useRouter();
  const [sourceId, setSourceId] = useState(sources[0]?.id ?? 0);
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiKeyScope>("ingest");
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const create = useMutation({
    mutationFn: () => unwrap(createApiKeyAction({ sourceId, name, scope })),
    onSuccess: () => {
      setName("");
      setCopied("no");
      router.refresh();
    },
  });
  const submit = (e: FormEvent) => (e.preventDefault(), create.mutate());
  // The clipboard needs a secure context; on plain http the key is selected for copying by hand instead.
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <Panel headingId="new-key-heading" title="New key" className="flex flex-col gap-3">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Source system
          <select value={sourceId} onChange={(e) => setSourceId(Number(e.target.value))} className={inputClass}>
            <Choices of={sources.map((s) => ({ value: s.id, label: s.label }))} />
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Key name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            placeholder="e.g. Till feed, Manchester"
            className={`${inputClass} w-64`}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value as ApiKeyScope)} className={inputClass}>
            <option value="ingest">Send data</option>
            <option value="lookup">Look up customers</option>
          </select>
        </label>
        <Button type="submit" disabled={create.isPending || name.trim() === "" || !sourceId}>
          {create.isPending ? "Creating…" : "Create key"}
        </Button>
      </form>
      <AlertText message={create.error?.message} className="text-sm" />
      {create.isSuccess && (
        <div role="status" className="flex flex-col gap-2 rounded-2xl bg-amber-50 p-4 ring-1 ring-amber-300">
          <p className="font-semibold">Copy this key now: it will not be shown again.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="select-all break-all rounded-lg bg-white px-3 py-2 ring-1 ring-stone-300">
              {create.data.key}
            </code>
            <Button type="button" variant="secondary" onClick={() => copy(create.data.key)}>
              {copied === "yes" ? "Copied" : "Copy key"}
            </Button>
            {copied === "failed" && <span className="text-sm">Copying is blocked here: select the key and copy it.</span>}
          </div>
        </div>
      )}
    </Panel>
  );
}

export function ApiKeyRevoke({ id, name }: { id: number; name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({ mutationFn: () => unwrap(revokeApiKeyAction({ id })), onSuccess: () => router.refresh() });
  if (!confirming) {
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-sm">Systems using it will be refused at once.</span>
      <Button variant="primary" disabled={revoke.isPending} onClick={() => revoke.mutate()} aria-label={`Confirm revoking ${name}`}>
        Revoke key
      </Button>
      <Button variant="ghost" disabled={revoke.isPending} onClick={() => setConfirming(false)}>
        Keep
      </Button>
      <AlertText message={revoke.error?.message} className="text-sm" />
    </div>
  );
}
