"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { type LookupActionResult, lookupCustomerAction } from "@/lib/actions/customers";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";

const MATCH_LABELS: Record<string, string> = { loyalty: "loyalty ID", email: "email", phone: "phone" };

export function CustomerLookup() {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const lookup = useMutation({
    mutationFn: async (q: string) => {
      const result = await lookupCustomerAction({ query: q });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    onSuccess: (data) => {
      if (data.kind === "one") router.push(data.href);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (query.trim() === "") {
      inputRef.current?.focus();
      return;
    }
    lookup.mutate(query);
  }

  const opening = lookup.isSuccess && lookup.data.kind === "one";
  return (
    <section aria-labelledby="lookup-heading" className="mx-auto flex max-w-3xl flex-col gap-5">
      <h1 id="lookup-heading" className="text-2xl font-bold">
        Find a customer
      </h1>
      <form onSubmit={submit} role="search" className="flex flex-col gap-3 sm:flex-row">
        <label htmlFor="lookup-query" className="sr-only">
          Loyalty ID, phone number or email
        </label>
        <input
          ref={inputRef}
          id="lookup-query"
          name="query"
          type="search"
          autoFocus
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          enterKeyHint="search"
          placeholder="Loyalty ID, phone number or email"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="min-h-14 flex-1 rounded-2xl border border-stone-300 bg-white px-5 text-xl shadow-sm"
        />
        <Button type="submit" disabled={lookup.isPending || opening} className="min-h-14 px-8 text-lg">
          {lookup.isPending ? "Searching…" : opening ? "Opening…" : "Find"}
        </Button>
      </form>
      <div aria-live="polite" data-testid="lookup-outcome">
        {lookup.isError && <Message tone="error">{lookup.error.message}</Message>}
        {lookup.isSuccess && <Outcome result={lookup.data} />}
      </div>
    </section>
  );
}

function Message({ tone, children }: { tone: "error" | "info"; children: React.ReactNode }) {
  const colours = tone === "error" ? "bg-red-50 text-red-900 ring-red-200" : "bg-amber-50 text-amber-950 ring-amber-200";
  return <div className={`rounded-2xl px-5 py-4 ring-1 ${colours}`}>{children}</div>;
}

function Outcome({ result }: { result: LookupActionResult }) {
  switch (result.kind) {
    case "invalid":
      return <Message tone="error">{result.reason}</Message>;
    case "none":
      return (
        <Message tone="info">
          <p className="font-semibold">No customer found for {result.searched}</p>
          <p className="mt-1">Check it with the customer, or try their loyalty card, phone number or email instead.</p>
        </Message>
      );
    case "one":
      return <p className="text-stone-600">Opening the customer’s profile…</p>;
    case "many":
      return (
        <div className="flex flex-col gap-3">
          <p className="font-semibold">
            {result.candidates.length} customers share {result.searched}. Ask which one they are:
          </p>
          <ul className="flex flex-col gap-2">
            {result.candidates.map((c) => (
              <li key={c.href}>
                <Link href={c.href} className="flex min-h-16 flex-wrap items-center justify-between gap-2 rounded-2xl bg-white px-5 py-3 ring-1 ring-stone-200 hover:ring-brand-600">
                  <span>
                    <span className="block text-lg font-semibold">{c.name}</span>
                    <span className="text-sm text-stone-600">
                      {[c.maskedEmail, c.maskedPhone, c.city, c.tier && `${c.tier} tier`].filter(Boolean).join(" · ")}
                    </span>
                  </span>
                  <span className="text-sm text-stone-600">
                    Matched on {c.matchedOn.map((m) => MATCH_LABELS[m] ?? m).join(", ")}
                    {c.lastPurchaseAt ? ` · last bought ${formatDate(c.lastPurchaseAt)}` : ""}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      );
  }
}
