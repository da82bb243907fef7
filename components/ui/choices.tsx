import { inputClass } from "./field";

/** One option of a select: its value and what it says (a plain string is both). */
export type Choice = { value: string | number; label: string } | string;

/** A select's options, in the order given. */
export function Choices({ of }: { of: readonly Choice[] }) {
  return of.map((c) =>
    typeof c === "string" ? (
      <option key={c} value={c}>
        {c}
      </option>
    ) : (
      <option key={c.value} value={c.value}>
        {c.label}
      </option>
    ),
  );
}

/** Choices of records with an ID and a name: stores, staff. */
export const named = (items: readonly { id: number; name: string }[]): Choice[] => items.map((i) => ({ value: i.id, label: i.name }));

/** Choices of a map from value to label, in its key order. */
export const labelled = (labels: Readonly<Record<string, string>>): Choice[] => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** A select in a plain GET filter form, showing the value in the address; blank is "any", named by `any` (no such option when empty). */
export function FilterSelect({
  name,
  label,
  value,
  any = "Any",
  choices,
}: {
  name: string;
  label: string;
  value: string | number | undefined;
  any?: string;
  choices: readonly Choice[];
}) {
  return (
    <label className="flex flex-col gap-1 text-sm font-semibold">
      {label}
      <select name={name} defaultValue={value === undefined ? "" : String(value)} className={inputClass}>
        {any && <option value="">{any}</option>}
        <Choices of={choices} />
      </select>
    </label>
  );
}
