"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, type KeyboardEvent, type ReactNode, type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { isNetworkError, isOnline, setOnline, useOnline } from "@/components/offline/network";
import { type LookupActionResult, type LookupRow, lookupCustomerAction } from "@/lib/actions/customers";
// Types only: the narrowing's zod schema is the server's, and stays out of the tablet's bundle.
import type { NameFilterField, NameFilterText } from "@/lib/customers/name-filters";
import { isRedirectError } from "@/lib/errors";
import { Button, buttonClass } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { useDebounced } from "../ui/use-debounced";
import { CameraScan } from "./camera-scan";
import { formatDate, tierLabel } from "../ui/format";

const TYPE_AHEAD_DELAY_MS = 200;
const MATCH_LABELS: Record<string, string> = { loyalty: "loyalty ID", email: "email", phone: "phone", name: "name" };

/** The narrowing fields as typed. */
type Narrow = Record<NameFilterField, string>;
const NO_NARROW: Narrow = { city: "", birthYear: "", phoneEnd: "" };
const NAME_FILTER_FIELDS = Object.keys(NO_NARROW) as NameFilterField[];
const PAGE = 10;
const MAX_SHOWN = 50;

/** A number still being typed (a year short of 4 digits, a phone's end short of 2): left out while typing, sent by Find to be told what is missing. */
const UNFINISHED: Partial<Record<NameFilterField, RegExp>> = { birthYear: /^\d{1,3}$/, phoneEnd: /^\d$/ };

function isNarrowing(n: Narrow): boolean {
  return NAME_FILTER_FIELDS.some((key) => n[key].trim() !== "");
}

/** What the server is asked to narrow by: blanks left out, and unfinished numbers unless `complete` (Find was pressed). */
function narrowingOf(n: Narrow, complete: boolean): NameFilterText {
  const sent: NameFilterText = {};
  for (const key of NAME_FILTER_FIELDS) {
    const text = n[key].trim();
    if (text !== "" && (complete || !UNFINISHED[key]?.test(text))) sent[key] = text;
  }
  return sent;
}

type NarrowErrors = Partial<Record<NameFilterField, string>>;

/** What the box shows after a lookup: the action's answer, or that the profile is on its way. */
type LookupOutcome =
  | Exclude<LookupActionResult, { kind: "open" }>
  | { kind: "open" }
  /** A name's list narrowed to nobody by these details. */
  | { kind: "narrowed-away"; searched: string; narrowing: NameFilterText }
  /** A narrowing detail the server refused: its message, for the field. */
  | { kind: "narrowing-invalid"; searched: string; errors: NarrowErrors };

type LookupRequest = { query: string; narrowing: NameFilterText; limit: number };

const lookupKey = (query: string, narrowing: NameFilterText, limit: number) => ["lookup", query, narrowing, limit];

/** An answer the name list below shows (with its narrowing fields), whether it came from typing or from Find. */
function isNameList(outcome: LookupOutcome): boolean {
  return (outcome.kind === "matches" && outcome.by === "name") || outcome.kind === "narrowed-away" || outcome.kind === "narrowing-invalid";
}

function narrowErrorsOf(fieldErrors: Record<string, string[]> | undefined): NarrowErrors | null {
  const errors: NarrowErrors = {};
  for (const key of NAME_FILTER_FIELDS) {
    const message = fieldErrors?.[key]?.[0];
    if (message) errors[key] = message;
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

async function lookup({ query, narrowing, limit }: LookupRequest, submitted: boolean): Promise<LookupOutcome> {
  let result;
  try {
    result = await lookupCustomerAction({ query, submitted, redirect: submitted, ...narrowing, limit });
  } catch (error) {
    // A single match redirects to the profile, which the router is already showing from the same response.
    if (isRedirectError(error)) return { kind: "open" };
    throw error;
  }
  if (!result.ok) {
    // The server's own check of the narrowing fields: said beside the field it is about.
    const errors = result.code === "invalid_input" ? narrowErrorsOf(result.fieldErrors) : null;
    if (errors) return { kind: "narrowing-invalid", searched: query.trim(), errors };
    throw new Error(result.message);
  }
  const data = result.data;
  if (data.kind === "none" && data.by === "name" && Object.keys(narrowing).length > 0) return { kind: "narrowed-away", searched: data.searched, narrowing };
  return data;
}

export function CustomerLookup() {
  const inputRef = useRef<HTMLInputElement>(null);
  const firstNarrowRef = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const online = useOnline();
  // The search that could not run for want of a network, offered again once it is back.
  const [needsNetwork, setNeedsNetwork] = useState<string | null>(null);
  // Find pressed with nothing typed: said on the tablet, without a round trip.
  const [askedEmpty, setAskedEmpty] = useState(false);
  const typed = useDebounced(query.trim(), TYPE_AHEAD_DELAY_MS);
  const [narrow, setNarrow] = useState<Narrow>(NO_NARROW);
  // The narrowing the list below was asked for: the fields once they rest, while typing (unfinished
  // numbers left out); at once and as they are on Find, so a field says what is missing.
  const [asked, setAsked] = useState<{ narrow: Narrow; complete: boolean }>({ narrow: NO_NARROW, complete: false });
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => {
    const timer = setTimeout(() => setAsked({ narrow, complete: false }), TYPE_AHEAD_DELAY_MS);
    return () => clearTimeout(timer);
  }, [narrow]);
  // A new name starts from the first page with nothing narrowed.
  useEffect(() => {
    setNarrow(NO_NARROW);
    setAsked({ narrow: NO_NARROW, complete: false });
    setLimit(PAGE);
  }, [typed]);
  const submit = useMutation({
    mutationFn: (request: LookupRequest) => lookup(request, true),
    onSuccess: (data, request) => {
      // Find on a name runs its list again with what the fields hold now; the list below shows this answer.
      if (isNameList(data)) queryClient.setQueryData(lookupKey(request.query.trim(), request.narrowing, request.limit), data);
    },
    onError: (error, request) => {
      if (!isNetworkError(error)) return;
      setOnline(false);
      setNeedsNetwork(request.query.trim());
    },
  });
  // Once Enter (or a scanner's Enter) is on its way for what is in the box, listing the same text
  // would only compete with opening the profile.
  const entered = submit.variables?.query.trim() === typed && (submit.isPending || (submit.isSuccess && submit.data.kind === "open"));
  // Results follow the typing; the query key discards answers to what is no longer in the box.
  const narrowing = narrowingOf(asked.narrow, asked.complete);
  const typeAhead = useQuery({
    queryKey: lookupKey(typed, narrowing, limit),
    queryFn: () => lookup({ query: typed, narrowing, limit }, false),
    enabled: typed.length >= 3 && online && !entered,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const { mutate: submitLookup, reset: resetLookup } = submit;
  const run = useCallback(
    (q: string, narrowingNow: NameFilterText, limitNow: number) => {
      if (!isOnline()) {
        resetLookup();
        setNeedsNetwork(q.trim());
        return;
      }
      setNeedsNetwork(null);
      submitLookup({ query: q, narrowing: narrowingNow, limit: limitNow });
    },
    [submitLookup, resetLookup],
  );
  const onScan = useCallback(
    (text: string) => {
      setQuery(text);
      run(text, {}, PAGE);
    },
    [run],
  );

  /** Find: the name in the box again, with the narrowing fields as they are now (they belong to that name only). */
  function find() {
    if (query.trim() === "") {
      setAskedEmpty(true);
      inputRef.current?.focus();
      return;
    }
    const ownNarrowing = query.trim() === typed && isNarrowing(narrow);
    if (ownNarrowing) setAsked({ narrow, complete: true });
    run(query, ownNarrowing ? narrowingOf(narrow, true) : {}, ownNarrowing ? limit : PAGE);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    find();
  }

  function clearNarrowing() {
    setNarrow(NO_NARROW);
    setAsked({ narrow: NO_NARROW, complete: false });
    // The button goes with the narrowing: the fields stay, so the next detail can be typed at once.
    firstNarrowRef.current?.focus();
  }

  const offlineFor = needsNetwork !== null && needsNetwork === query.trim();
  const submittedFor = submit.variables?.query.trim();
  // A name's list is the live one below, so narrowing and "more" keep working after Enter.
  const submittedName = submit.data !== undefined && isNameList(submit.data);
  const showSubmitted = !offlineFor && !submittedName && (submit.isSuccess || submit.isError) && submittedFor === query.trim();
  const opening = submit.isSuccess && submit.data.kind === "open";
  const showList = !showSubmitted && !offlineFor && online && typed === query.trim();
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
            <Button type="button" className="mt-3" disabled={!online} onClick={find}>
              {online ? "Search again" : "Waiting for the network…"}
            </Button>
          </Message>
        )}
        {askedEmpty && query.trim() === "" && <Message tone="info">Type or scan a loyalty ID, phone number, email or name.</Message>}
        {showSubmitted && submit.isError && <Message tone="error">{submit.error.message}</Message>}
        {showSubmitted && submit.isSuccess && <Outcome result={submit.data} />}
        {showList && (
          <NameList
            outcome={typeAhead.data}
            failure={typeAhead.isError ? typeAhead.error.message : null}
            narrow={narrow}
            onNarrow={setNarrow}
            onFind={find}
            onClear={clearNarrowing}
            firstFieldRef={firstNarrowRef}
            onMore={() => setLimit((l) => Math.min(MAX_SHOWN, l + PAGE))}
          />
        )}
      </div>
    </section>
  );
}

/**
 * The type-ahead's list, with the fields that narrow a common name. Once a name is being narrowed,
 * the fields stay on screen whatever the answer: the list, no one left (and which details to
 * loosen), a detail the server refused (said beside its field) or a failure.
 */
function NameList({
  outcome,
  failure,
  narrow,
  onNarrow,
  onFind,
  onClear,
  firstFieldRef,
  onMore,
}: {
  outcome: LookupOutcome | undefined;
  failure: string | null;
  narrow: Narrow;
  onNarrow: (n: Narrow) => void;
  onFind: () => void;
  onClear: () => void;
  firstFieldRef: RefObject<HTMLInputElement | null>;
  onMore: () => void;
}) {
  const narrowing = isNarrowing(narrow);
  const matches = outcome?.kind === "matches" ? outcome : null;
  const fields = narrowing || (matches !== null && matches.by === "name" && matches.total > 1);
  if (!matches && !narrowing) return null;
  return (
    <div className="flex flex-col gap-3">
      {matches && <p className="font-semibold">{heading(matches)}</p>}
      {fields && (
        <NarrowFields
          narrow={narrow}
          onNarrow={onNarrow}
          onFind={onFind}
          onClear={onClear}
          firstFieldRef={firstFieldRef}
          errors={!failure && outcome?.kind === "narrowing-invalid" ? outcome.errors : {}}
        />
      )}
      {failure ? (
        <Message tone="error">{failure}</Message>
      ) : outcome?.kind === "narrowed-away" ? (
        <NarrowedAway searched={outcome.searched} narrowing={outcome.narrowing} />
      ) : outcome?.kind === "narrowing-invalid" ? (
        <p className="text-stone-700">Correct the detail marked above, or clear the narrowing to see everyone called “{outcome.searched}” again.</p>
      ) : (
        matches && <Rows result={matches} onMore={onMore} />
      )}
    </div>
  );
}

const NARROWING_WORDS: Record<NameFilterField, { field: string; value: (text: string) => string }> = {
  city: { field: "town or city", value: (t) => `town or city “${t}”` },
  birthYear: { field: "year of birth", value: (t) => `year of birth ${t}` },
  phoneEnd: { field: "phone’s last digits", value: (t) => `phone ending ${t}` },
};

/** "a", "a and b", "a, b and c". */
function joinWords(words: string[], joiner: string): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} ${joiner} ${words[words.length - 1]}`;
}

/** No one left after narrowing: which details did it, and how to get the list back. */
function NarrowedAway({ searched, narrowing }: { searched: string; narrowing: NameFilterText }) {
  const used = NAME_FILTER_FIELDS.filter((key) => narrowing[key] !== undefined);
  const values = used.map((key) => NARROWING_WORDS[key].value(narrowing[key] ?? ""));
  const fields = used.map((key) => NARROWING_WORDS[key].field);
  return (
    <Message tone="info">
      <p className="font-semibold" data-testid="narrowed-away">
        No customer matches “{searched}” with {joinWords(values, "and")}.
      </p>
      <p className="mt-1">
        {used.length === 1
          ? `Check the ${fields[0]} with the customer and correct it, or clear the narrowing to see everyone called “${searched}” again.`
          : `Check the ${joinWords(fields, "and")} with the customer and loosen one of them, or clear the narrowing to see everyone called “${searched}” again.`}
      </p>
    </Message>
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
      return (
        <div className="flex flex-col gap-3">
          <p className="font-semibold">{heading(result)}</p>
          <Rows result={result} />
        </div>
      );
    case "narrowed-away":
    case "narrowing-invalid":
      // Shown by the name's list, with its fields.
      return null;
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

/** The matching customers, one link each, and more of them on request. */
function Rows({ result, onMore }: { result: Matches; onMore?: () => void }) {
  return (
    <>
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
    </>
  );
}

/** `column` keeps a field's message under it (wrapped), so the row keeps its place on a portrait tablet. */
const NARROW_FIELDS: { key: NameFilterField; label: string; numeric?: true; maxLength?: number; width: string; column: string }[] = [
  // No length cap on the town: a paste too long is said beside the field (the server's check), not cut short silently.
  { key: "city", label: "Town or city", width: "w-48", column: "max-w-48" },
  { key: "birthYear", label: "Year of birth", numeric: true, maxLength: 4, width: "w-28", column: "max-w-40" },
  { key: "phoneEnd", label: "Phone ends in", numeric: true, maxLength: 6, width: "w-28", column: "max-w-40" },
];

/** Town, year of birth and the phone's last digits; Enter in any of them is Find, and the narrowing can be cleared in one press. */
function NarrowFields({
  narrow,
  errors,
  onNarrow,
  onFind,
  onClear,
  firstFieldRef,
}: {
  narrow: Narrow;
  errors: NarrowErrors;
  onNarrow: (n: Narrow) => void;
  onFind: () => void;
  onClear: () => void;
  firstFieldRef: RefObject<HTMLInputElement | null>;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    onFind();
  };
  return (
    <fieldset className="flex flex-wrap items-start gap-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200">
      <legend className="sr-only">Narrow the list</legend>
      {NARROW_FIELDS.map((f, i) => (
        <div key={f.key} className={f.column}>
          <Field id={`narrow-${f.key}`} label={f.label} error={errors[f.key]}>
            {(control) => (
              <input
                {...control}
                ref={i === 0 ? firstFieldRef : undefined}
                value={narrow[f.key]}
                onChange={(e) => onNarrow({ ...narrow, [f.key]: e.target.value })}
                onKeyDown={onKeyDown}
                autoComplete="off"
                enterKeyHint="search"
                inputMode={f.numeric ? "numeric" : undefined}
                maxLength={f.maxLength}
                className={`${inputClass} text-base ${f.width}`}
              />
            )}
          </Field>
        </div>
      ))}
      {isNarrowing(narrow) && (
        <Button type="button" variant="secondary" className="mt-6" onClick={onClear}>
          Clear narrowing
        </Button>
      )}
    </fieldset>
  );
}
