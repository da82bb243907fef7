import type { ReactNode } from "react";

export const inputClass = "min-h-11 rounded-xl border border-stone-300 bg-white px-3 font-normal aria-[invalid=true]:border-red-700";

/** A label above its control with the server's message for that field underneath, tied by aria-describedby. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-stone-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}

/** Props for the control inside a Field: invalid state and description follow the error. */
export function describedBy(id: string, error?: string, hint?: string) {
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined } as const;
}
