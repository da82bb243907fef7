"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { isNetworkError, isOnline, setOnline, useOnline } from "@/components/offline/network";
import { type LookupActionResult, type LookupRow, lookupCustomerAction } from "@/lib/actions/customers";
import { isRedirectError } from "@/lib/errors";
import { Button, buttonClass } from "../ui/button";
import { useDebounced } from "../ui/use-debounced";
import { CameraScan } from "./camera-scan";
import { formatDate, tierLabel } from "../ui/format";

const TYPE_AHEAD_DELAY_MS = 200;
const MATCH_LABELS: Record<string, string> = { loyalty: "loyalty ID", email: "email", phone: "phone", name: "name" };

type Narrow = { city: string; birthYear: string; phoneEnd: string };
const NO_NARROW: Narrow = { city: "", birthYear: "", phoneEnd: "" };
const PAGE = 10;
const MAX_SHOWN = 50;

function filtersOf(n: Narrow) {
  return {
    city: n.city.trim() || undefined,
    birthYear: /^\d{4}$/.test(n.birthYear) ? Number(n.birthYear) : undefined,
    phoneEnd: /^\d{2,6}$/.test(n.phoneEnd) ? n.phoneEnd : undefined,
  };
}

/** What the box shows after a lookup: the action's answer, or that the profile is on its way. */
type LookupOutcome = Exclude<LookupActionResult, { kind: "open" }> | { kind: "open" };

async function lookup(query: string, submitted: boolean, narrow: Narrow = NO_NARROW, limit = PAGE): Promise<LookupOutcome> {
  let result;
  try {
    result = await lookupCustomerAction({ query, submitted, redirect: submitted, filters: filtersOf(narrow), limit });
  } catch (error) {
    // A single match redirects to the profile, which the router is already showing from the same response.
    if (isRedirectError(error)) return { kind: "open" };
    throw error;
  }
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

export function CustomerLookup() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const online = useOnline();
  // The search that could not run for want of a network, offered again once it is back.
  const [needsNetwork, setNeedsNetwork] = useState<string | null>(null);
  // Find pressed with nothing typed: said on the tablet, without a round trip.
  const [askedEmpty, setAskedEmpty] = useState(false);
  const typed = useDebounced(query.trim(), TYPE_AHEAD_DELAY_MS);
  const [narrow, setNarrow] = useState<Narrow>(NO_NARROW);
  const [limit, setLimit] = useState(PAGE);
  const narrowed = useDebounced(narrow, TYPE_AHEAD_DELAY_MS);
  // A new name starts from the first page with nothing narrowed.
  useEffect(() => {
    setNarrow(NO_NARROW);
    setLimit(PAGE);
  }, [typed]);
  const submit = useMutation({
    mutationFn: (q: string) => lookup(q, true),
    onError: (error, q) => {
      if (!isNetworkError(error)) return;
      setOnline(false);
      setNeedsNetwork(q.trim());
    },
  });
  // Once Enter (or a scanner's Enter) is on its way for what is in the box, listing the same text
  // would only compete with opening the profile.
  const entered = submit.variables?.trim() === typed && (submit.isPending || (submit.isSuccess && submit.data.kind === "open"));
  // Results follow the typing; the query key discards answers to what is no longer in the box.
  const typeAhead = useQuery({
    queryKey: ["lookup", typed, filtersOf(narrowed), limit],
    queryFn: () => lookup(typed, false, narrowed, limit),
    enabled: typed.length >= 3 && online && !entered,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const { mutate: submitLookup, reset: resetLookup } = submit;
  const run = useCallback(
    (q: string) => {
      if (!isOnline()) {
        resetLookup();
        setNeedsNetwork(q.trim());
        return;
      }
      setNeedsNetwork(null);
      submitLookup(q);
    },
    [submitLookup, resetLookup],
  );
  const onScan = useCallback(
    (text: string) => {
      setQuery(text);
      run(text);
    },
    [run],
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (query.trim() === "") {
      setAskedEmpty(true);
      inputRef.current?.focus();
      return;
    }
    run(query);
  }

  const offlineFor = needsNetwork !== null && needsNetwork === query.trim();
  const submittedFor = submit.variables?.trim();
  // A name's list is the live one below, so narrowing and "more" keep working after Enter.
  const submittedName = submit.data?.kind === "matches" && submit.data.by === "name";
  const showSubmitted = !offlineFor && !submittedName && (submit.isSuccess || submit.isError) && submittedFor === query.trim();
  const opening = submit.isSuccess && submit.data.kind === "open";
  return (
    <section aria-labelledby="lookup-heading" className="mx-auto flex max-w-3xl flex-col gap-5">
      <h1 id="lookup-heading" className="text-2xl font-bold">
        Find a customer
      </h1>
      {/* The box has a row of its own, so its hint is never cut; the buttons sit under it. */}
      <form onSubmit={onSubmit} role="search" className="flex flex-wrap gap-3">
        <label htmlFor="lookup-query" className="sr-only">
          Loyalty ID, phone number, email or name
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
          placeholder="Scan the card, or type phone, email or name"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setAskedEmpty(false);
          }}
          className="min-h-14 w-full rounded-2xl border border-stone-300 bg-white px-5 text-xl shadow-sm"
        />
        <Button type="submit" disabled={submit.isPending || opening} className="min-h-14 px-8 text-lg">
          {submit.isPending ? "Searching…" : opening ? "Opening…" : "Find"}
        </Button>
        <CameraScan onScan={onScan} />
      </form>
      <div aria-live="polite" data-testid="lookup-outcome">
        {offlineFor && (
          <Message tone="error">
            <p className="font-semibold">{online ? "The network is back." : "Finding a customer needs the network, and the tablet is offline."}</p>
            <p className="mt-1">{online ? "Search again now." : "This button wakes up as soon as the network is back."}</p>
            <Button type="button" className="mt-3" disabled={!online} onClick={() => run(query)}>
              {online ? "Search again" : "Waiting for the network…"}
            </Button>
          </Message>
        )}
        {askedEmpty && query.trim() === "" && <Message tone="info">Type or scan a loyalty ID, phone number, email or name.</Message>}
        {showSubmitted && submit.isError && <Message tone="error">{submit.error.message}</Message>}
        {showSubmitted && submit.isSuccess && <Outcome result={submit.data} />}
        {!showSubmitted && !offlineFor && online && typed === query.trim() && typeAhead.data?.kind === "matches" && (
          <Rows result={typeAhead.data} narrow={narrow} onNarrow={setNarrow} onMore={() => setLimit((l) => Math.min(MAX_SHOWN, l + PAGE))} />
        )}
      </div>
    </section>
  );
}

function Message({ tone, children }: { tone: "error" | "info"; children: ReactNode }) {
  const colours = tone === "error" ? "bg-red-50 text-red-900 ring-red-200" : "bg-amber-50 text-amber-950 ring-amber-200";
  return <div className={`rounded-2xl px-5 py-4 ring-1 ${colours}`}>{children}</div>;
}

function Outcome({ result }: { result: LookupOutcome }) {
  switch (result.kind) {
    case "invalid":
      return <Message tone="error">{result.reason}</Message>;
    case "none":
      return (
        <Message tone="info">
          <p className="font-semibold">No customer found for {result.searched}</p>
          <p className="mt-1">
            {result.by === "name"
              ? "Check the spelling with the customer, or ask for their phone number or email."
              : "Check it with the customer, or try their loyalty card, phone number, email or name instead."}
          </p>
          <Link href={`/enrol?q=${encodeURIComponent(result.by === "identifier" ? result.searched : "")}`} className={buttonClass("secondary", "mt-3")}>
            Enrol as a new customer
          </Link>
        </Message>
      );
    case "open":
      return <p className="text-stone-600">Opening the customer’s profile…</p>;
    case "matches":
      return <Rows result={result} />;
  }
}

function why(row: LookupRow): string {
  return row.matchedOn.map((m) => (m.parts ? m.parts.join(" and ") : `${MATCH_LABELS[m.type] ?? m.type}${m.source ? `, from ${m.source}` : ""}`)).join("; ");
}

type Matches = Extract<LookupActionResult, { kind: "matches" }>;

function heading(result: Matches): string {
  const total = `${result.total}${result.capped ? " or more" : ""}`;
  if (result.total === 1) return `One customer matches ${result.by === "name" ? `“${result.searched}”` : result.searched}:`;
  if (result.by === "identifier") return `${result.total} customers share ${result.searched}. Ask which one they are:`;
  const shown = result.rows.length < result.total ? ` Showing the first ${result.rows.length}.` : "";
  return `${total} customers match “${result.searched}”.${shown} Ask which one they are, or narrow the list:`;
}

function Rows({ result, narrow, onNarrow, onMore }: { result: Matches; narrow?: Narrow; onNarrow?: (n: Narrow) => void; onMore?: () => void }) {
  const canNarrow = result.by === "name" && narrow && onNarrow && (result.total > 1 || narrow !== NO_NARROW);
  return (
    <div className="flex flex-col gap-3">
      <p className="font-semibold">{heading(result)}</p>
      {canNarrow && <NarrowFields narrow={narrow} onNarrow={onNarrow} />}
      <ul className="flex flex-col gap-2" aria-label="Matching customers">
        {result.rows.map((row) => (
          <li key={row.href}>
            <Link href={row.href} className="flex min-h-16 flex-col gap-0.5 rounded-2xl bg-white px-5 py-3 ring-1 ring-stone-200 hover:ring-brand-600">
              <span className="text-lg font-semibold">{row.name}</span>
              <span className="text-sm text-stone-600">
                {[row.maskedEmail, row.maskedPhone, row.city, row.tier && tierLabel(row.tier)].filter(Boolean).join(" · ")}
              </span>
              <span className="text-sm text-stone-600">
                Matched on {why(row)}
                {row.lastPurchaseAt ? ` · last bought ${formatDate(row.lastPurchaseAt)}` : ""}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {onMore && result.rows.length < result.total && result.rows.length < MAX_SHOWN && (
        <Button type="button" variant="secondary" className="self-start" onClick={onMore}>
          Show {Math.min(PAGE, result.total - result.rows.length)} more
        </Button>
      )}
    </div>
  );
}

function NarrowFields({ narrow, onNarrow }: { narrow: Narrow; onNarrow: (n: Narrow) => void }) {
  const field = (key: keyof Narrow, label: string, props: { inputMode?: "numeric"; maxLength: number; className: string }) => (
    <label className="flex flex-col gap-1 text-sm font-semibold">
      {label}
      <input
        value={narrow[key]}
        onChange={(e) => onNarrow({ ...narrow, [key]: e.target.value })}
        autoComplete="off"
        className={`min-h-11 rounded-xl border border-stone-300 bg-white px-3 text-base font-normal ${props.className}`}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
      />
    </label>
  );
  return (
    <fieldset className="flex flex-wrap items-end gap-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200">
      <legend className="sr-only">Narrow the list</legend>
      {field("city", "Town or city", { maxLength: 80, className: "w-48" })}
      {field("birthYear", "Year of birth", { inputMode: "numeric", maxLength: 4, className: "w-28" })}
      {field("phoneEnd", "Phone ends in", { inputMode: "numeric", maxLength: 6, className: "w-28" })}
    </fieldset>
  );
}
