import type { InputHTMLAttributes, ReactNode } from "react";

export const inputClass = "min-h-11 rounded-xl border border-stone-300 bg-white px-3 font-normal aria-[invalid=true]:border-red-700";

export type ControlProps = { id: string; "aria-describedby": string | undefined; "aria-invalid": true | undefined };

/**
 * A label above its control, with a hint, the server's message for the field and a live warning
 * (shown while there is no error) tied to it by aria-describedby.
 */
export function Field({
  id,
  label,
  error,
  hint,
  warning,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  warning?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const shownWarning = error ? undefined : warning;
  const describedBy = [error && `${id}-error`, shownWarning && `${id}-warning`, hint && `${id}-hint`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-stone-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      )}
      {warning !== undefined && (
        <div aria-live="polite">
          {shownWarning && (
            <p id={`${id}-warning`} data-testid={`${id}-warning`} className="rounded-xl bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200">
              {shownWarning}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The form's own message from the server (not tied to one field); nothing when there is none. */
export function FormError({ id, message }: { id?: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} role="status" className="rounded-xl bg-red-50 px-4 py-3 text-red-800">
      {message}
    </p>
  );
}

/** A Field holding a text input: `onText` is given each new value; other input attributes pass through to it. */
export function TextField({
  id,
  label,
  error,
  hint,
  value,
  onText,
  ...input
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  value: string;
  onText: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "className">) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(control) => <input {...control} {...input} value={value} onChange={(e) => onText(e.target.value)} className={inputClass} />}
    </Field>
  );
}
