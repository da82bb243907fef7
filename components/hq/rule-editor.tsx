"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { SuggestionRule, SuggestionRuleStatus } from "@/lib/suggest/types";
import { createRuleAction, previewSuggestionsAction, updateRuleAction } from "@/lib/actions/suggest";
import { DEFAULT_RULE_MESSAGE } from "@/lib/suggest/messages";
import type { PreviewResult } from "@/lib/suggest/preview";
import type { CatalogueNames } from "@/lib/suggest/rules";
import { Button } from "../ui/button";
import { Field, TextField } from "../ui/field";
import { SaveBar } from "../ui/save-bar";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";
import { formatDate, formatMoney } from "../ui/format";
import { ANCHOR_LABELS, STATUS_LABELS, STATUS_STYLES, TARGET_LABELS } from "./rule-labels";
import { RuleActions } from "./rule-actions";
import { utcDay } from "@/lib/days";
import { Choices, named, labelled } from "@/components/ui/choices";
import { Panel } from "@/components/ui/panel";
import { TextEntry } from "@/components/ui/text-entry";
import { CheckChip } from "@/components/ui/check-chip";

type Store = { id: number; name: string };

type FormState = {
  name: string;
  anchorKind: string;
  anchorValue: string;
  withinDays: string;
  targetKind: string;
  targetValue: string;
  priority: string;
  storeIds: number[];
  activeFrom: string;
  activeTo: string;
  message: string;
};

const isoDay = (ms: number | null) => (ms === null ? "" : utcDay(ms));

function initialForm(rule: SuggestionRule | null): FormState {
  if (!rule) {
    return {
      name: "",
      anchorKind: "category",
      anchorValue: "",
      withinDays: "60",
      targetKind: "category",
      targetValue: "",
      priority: "50",
      storeIds: [],
      activeFrom: "",
      activeTo: "",
      message: DEFAULT_RULE_MESSAGE,
    };
  }
  return {
    name: rule.name,
    anchorKind: rule.anchorKind,
    anchorValue: rule.anchorValue,
    withinDays: String(rule.withinDays),
    targetKind: rule.targetKind,
    targetValue: rule.targetValue,
    priority: String(rule.priority),
    storeIds: rule.storeIds ?? [],
    activeFrom: isoDay(rule.activeFrom),
    activeTo: isoDay(rule.activeTo),
    message: rule.message,
  };
}

/** Numbers typed as text: empty or garbage becomes NaN, which the server's schema reports on the field. */
const toNumber = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

function payload(form: FormState) {
  return { ...form, withinDays: toNumber(form.withinDays), priority: toNumber(form.priority) };
}

function valuesFor(kind: string, names: CatalogueNames): string[] {
  return kind === "category" ? names.categories : kind === "collection" ? names.collections : kind === "brand" ? names.brands : [];
}

/** The kind of item (category, brand, SKU…) and which one, offered from the catalogue: the same pair for what was bought and what to suggest. */
function ItemFields({
  side,
  kinds,
  valueLabel,
  form,
  set,
  errorOf,
  names,
}: {
  side: "anchor" | "target";
  kinds: Record<string, string>;
  valueLabel: string;
  form: FormState;
  set: (key: `${"anchor" | "target"}${"Kind" | "Value"}`, value: string) => void;
  errorOf: (field: keyof FormState) => string | undefined;
  names: CatalogueNames;
}) {
  const kind = form[`${side}Kind`];
  return (
    <>
      <Field id={`rule-${side}Kind`} label="Kind" error={errorOf(`${side}Kind`)}>
        {(control) => (
          <select {...control} value={kind} onChange={(e) => set(`${side}Kind`, e.target.value)} className={inputClass}>
            <Choices of={labelled(kinds)} />
          </select>
        )}
      </Field>
      <Field id={`rule-${side}Value`} label={valueLabel} error={errorOf(`${side}Value`)}>
        {(control) => (
          <>
            <input
              {...control}
              list={`${side}-values`}
              value={form[`${side}Value`]}
              onChange={(e) => set(`${side}Value`, e.target.value)}
              maxLength={80}
              className={inputClass}
            />
            <datalist id={`${side}-values`}>
              {valuesFor(kind, names).map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </>
  );
}

export function RuleEditor({ rule, stores, names }: { rule: SuggestionRule | null; stores: Store[]; names: CatalogueNames }) {
  const router = useRouter();
  const [form, setForm] = useState(() => initialForm(rule));
  const [status, setStatus] = useState<SuggestionRuleStatus>(rule?.status ?? "draft");
  const [version, setVersion] = useState(rule?.updatedAt ?? 0);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
  };

  const save = useMutation({
    mutationFn: async (): Promise<{ id: number; updatedAt: number | null }> =>
      rule
        ? unwrap(updateRuleAction({ id: rule.id, expectedUpdatedAt: version, rule: payload(form) }))
        : { ...(await unwrap(createRuleAction({ rule: payload(form) }))), updatedAt: null },
    onMutate: () => setFieldErrors({}),
    onSuccess: (r) => {
      if (!rule) {
        router.push(`/hq/rules/${r.id}`);
        return;
      }
      if (r.updatedAt !== null) setVersion(r.updatedAt);
      setSaved(true);
      router.refresh();
    },
    onError: (e) => setFieldErrors(fieldErrorsOf(e)),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  const errorOf = (field: keyof FormState) => fieldErrors[field]?.[0];
  const text = (field: "name" | "withinDays" | "priority", label: string, extra: { inputMode?: "numeric"; maxLength?: number }) => (
    <TextField id={`rule-${field}`} label={label} error={errorOf(field)} value={form[field]} onText={(v) => set(field, v)} {...extra} />
  );

  return (
    <div className="flex flex-col gap-5">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4 rounded-3xl bg-white p-5 ring-1 ring-stone-200" aria-label="Rule">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 className="text-lg font-bold">{rule ? "Edit rule" : "New rule"}</h2>
          <span className={`rounded-full px-3 py-1 text-sm font-semibold ${STATUS_STYLES[status]}`} data-testid="rule-status">
            {STATUS_LABELS[status]}
          </span>
        </div>
        {status === "published" && (
          <p className="rounded-xl bg-amber-50 px-4 py-2 text-amber-900">This rule is live: saving changes what the tablets show at once.</p>
        )}
        {text("name", "Name", { maxLength: 80 })}
        <fieldset className="grid gap-3 sm:grid-cols-[200px_1fr_140px]">
          <legend className="mb-1 font-semibold">When the customer bought</legend>
          <ItemFields side="anchor" kinds={ANCHOR_LABELS} valueLabel="Bought item" form={form} set={set} errorOf={errorOf} names={names} />
          {text("withinDays", "Within days", { inputMode: "numeric" })}
        </fieldset>
        <fieldset className="grid gap-3 sm:grid-cols-[200px_1fr_140px]">
          <legend className="mb-1 font-semibold">Suggest</legend>
          <ItemFields side="target" kinds={TARGET_LABELS} valueLabel="Suggested item" form={form} set={set} errorOf={errorOf} names={names} />
          {text("priority", "Priority (0–100)", { inputMode: "numeric" })}
        </fieldset>
        <Field
          id="rule-message"
          label="What the assistant can say"
          error={errorOf("message")}
          hint="Placeholders: {anchor} (required), {anchorDate}, {anchorPlace}, {product}. The tablet adds whether it is in stock."
        >
          {(control) => (
            <textarea
              {...control}
              value={form.message}
              onChange={(e) => set("message", e.target.value)}
              maxLength={200}
              rows={2}
              className={`${inputClass} py-2`}
            />
          )}
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field id="rule-activeFrom" label="Active from" error={errorOf("activeFrom")}>
            {(control) => <input {...control} type="date" value={form.activeFrom} onChange={(e) => set("activeFrom", e.target.value)} className={inputClass} />}
          </Field>
          <Field id="rule-activeTo" label="Active until" error={errorOf("activeTo")}>
            {(control) => <input {...control} type="date" value={form.activeTo} onChange={(e) => set("activeTo", e.target.value)} className={inputClass} />}
          </Field>
        </div>
        <fieldset aria-describedby={errorOf("storeIds") ? "storeIds-error" : undefined}>
          <legend className="mb-1 font-semibold">Stores (none ticked: every store)</legend>
          <div className="flex flex-wrap gap-2">
            {stores.map((s) => (
              <CheckChip
                key={s.id}
                label={s.name}
                checked={form.storeIds.includes(s.id)}
                onChange={(checked) => set("storeIds", checked ? [...form.storeIds, s.id] : form.storeIds.filter((x) => x !== s.id))}
              />
            ))}
          </div>
          {errorOf("storeIds") && (
            <p id="storeIds-error" className="mt-1 text-sm text-red-800">
              {errorOf("storeIds")}
            </p>
          )}
        </fieldset>
        <SaveBar label={rule ? "Save changes" : "Create draft"} pending={save.isPending} saved={saved && "Saved."} error={save.error} />
      </form>
      {rule && (
        <RuleActions
          id={rule.id}
          name={form.name}
          status={status}
          onStatus={(s, updatedAt) => {
            setStatus(s);
            setVersion(updatedAt);
          }}
        />
      )}
      <Preview ruleId={rule?.id ?? null} form={form} stores={stores} onFieldErrors={setFieldErrors} />
    </div>
  );
}

const inputClass = "min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3";

const SOURCE_TEXT = {
  rule: "Rule",
  association: "Often bought together",
  next: "Customers went on to buy it",
  interest: "Looked at, now on offer or back in stock",
} as const;

function Preview({
  ruleId,
  form,
  stores,
  onFieldErrors,
}: {
  ruleId: number | null;
  form: FormState;
  stores: Store[];
  onFieldErrors: (e: Record<string, string[]>) => void;
}) {
  const [customer, setCustomer] = useState("");
  const [storeId, setStoreId] = useState<number | null>(stores[0]?.id ?? null);
  const preview = useMutation({
    mutationFn: () => unwrap(previewSuggestionsAction({ customer, storeId, ruleId, rule: payload(form) })),
    onMutate: () => onFieldErrors({}),
    onError: (e) => onFieldErrors(fieldErrorsOf(e)),
  });
  const customerError = fieldErrorsOf(preview.error).customer?.[0];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    preview.mutate();
  };
  return (
    <Panel headingId="preview-heading" title="Preview on a customer" className="flex flex-col gap-3">
      <p className="text-stone-600">What a tablet would show them now, with this rule as it stands in the form (saved or not).</p>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Preview">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <TextEntry
            id="preview-customer"
            label="Loyalty ID, phone or email"
            value={customer}
            onValue={setCustomer}
            maxLength={200}
            className={inputClass}
            aria-describedby={customerError ? "preview-customer-error" : undefined}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="preview-store" className="text-sm font-semibold">
            Store
          </label>
          <select
            id="preview-store"
            value={storeId ?? ""}
            onChange={(e) => setStoreId(e.target.value === "" ? null : Number(e.target.value))}
            className={inputClass}
          >
            <Choices of={named(stores)} />
          </select>
        </div>
        <Button type="submit" variant="secondary" disabled={preview.isPending || customer.trim() === ""}>
          {preview.isPending ? "Previewing…" : "Preview"}
        </Button>
      </form>
      {customerError && (
        <p id="preview-customer-error" className="text-sm text-red-800">
          {customerError}
        </p>
      )}
      {preview.isError && !customerError && (
        <p role="alert" className="text-red-800">
          {preview.error.message}
        </p>
      )}
      {preview.data && <PreviewCards result={preview.data} />}
    </Panel>
  );
}

function PreviewCards({ result }: { result: PreviewResult }) {
  return (
    <div className="flex flex-col gap-2" data-testid="preview-result">
      <p className="font-semibold">
        {result.customer.name}
        {result.customer.city ? `, ${result.customer.city}` : ""}
      </p>
      {result.draftNote && <p className="rounded-xl bg-amber-50 px-4 py-2 text-amber-900">{result.draftNote}</p>}
      {result.cards.length === 0 ? (
        <p className="text-stone-600">The tablet would show nothing to suggest.</p>
      ) : (
        <ol className="flex flex-col gap-2">
          {result.cards.map((c) => (
            <li key={c.style} className="rounded-2xl p-3 ring-1 ring-stone-200" data-testid="preview-card">
              <p className="font-semibold">
                {c.name} · {formatMoney(c.price)}
                {c.promoPercent ? ` · ${c.promoPercent}% off` : ""}
              </p>
              <p>{c.reason}</p>
              <p
                className="text-sm text-stone-600"
                data-testid="preview-source"
                title={
                  c.source.kind === "association"
                    ? `Mined association: lift ${c.source.lift?.toFixed(2)}, confidence ${((c.source.confidence ?? 0) * 100).toFixed(1)}%`
                    : undefined
                }
              >
                {c.source.kind === "rule"
                  ? `${SOURCE_TEXT.rule}: ${c.source.draft ? "this rule" : (c.source.ruleName ?? `#${c.source.ruleId}`)}`
                  : c.source.kind === "association" && c.source.next
                    ? `${SOURCE_TEXT.next}: ${c.source.lift?.toFixed(1)}× as often as by chance; ${((c.source.confidence ?? 0) * 100).toFixed(0)}% of orders with the anchor were followed by it`
                    : c.source.kind === "association"
                      ? `${SOURCE_TEXT.association}: ${c.source.lift?.toFixed(1)}× as often as by chance; ${((c.source.confidence ?? 0) * 100).toFixed(0)}% of buyers of one bought the other`
                      : SOURCE_TEXT.interest}
                {` · anchor: ${c.anchor.productName}, ${formatDate(c.anchor.date)}, ${c.anchor.place}`}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
