import type { ReactNode } from "react";

/** A tick box and its label in an outlined chip, the whole chip a touch target. */
export function CheckChip({
  label,
  checked,
  onChange,
  inputClassName = "size-5",
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  inputClassName?: string;
}) {
  return (
    <label className="flex min-h-11 items-center gap-2 rounded-xl px-3 ring-1 ring-stone-300">
      <input type="checkbox" className={inputClassName} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}
