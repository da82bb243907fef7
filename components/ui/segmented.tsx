import { ToggleButton } from "./button";

/** A row of toggle buttons where exactly one is on: channel filters, view switches. */
export function Segmented<T>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { id: T; label: string }[];
  value: T;
  onChange: (id: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="flex gap-1 self-start rounded-xl bg-stone-200 p-1">
      {options.map((o) => (
        <ToggleButton
          key={o.label}
          pressed={value === o.id}
          onPress={() => onChange(o.id)}
          className={`min-h-11 rounded-lg px-3 text-sm font-semibold ${value === o.id ? "bg-white shadow-sm" : "text-stone-700"}`}
        >
          {o.label}
        </ToggleButton>
      ))}
    </div>
  );
}

export const CHANNEL_FILTERS = [
  { id: null, label: "All" },
  { id: "store", label: "In store" },
  { id: "online", label: "Online" },
  { id: "app", label: "App" },
] as const;
