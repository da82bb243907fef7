import type { FormEvent, InputHTMLAttributes, ReactNode } from "react";
import { Button } from "./button";

type Props = {
  id: string;
  label: string;
  /** Named for screen readers only, where the placeholder and the button say what it is for sighted people. */
  hideLabel?: boolean;
  labelClassName?: string;
  value: string;
  onValue: (value: string) => void;
  /** A multi-line box of this many rows instead of a one-line input. */
  rows?: number;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange">;

/** A label and the text box it names, holding a string the caller keeps. */
export function TextEntry({ id, label, hideLabel = false, labelClassName = "text-sm font-semibold", value, onValue, rows, ...control }: Props) {
  return (
    <>
      <label htmlFor={id} className={hideLabel ? "sr-only" : labelClassName}>
        {label}
      </label>
      {rows === undefined ? (
        <input id={id} value={value} onChange={(e) => onValue(e.target.value)} {...control} />
      ) : (
        <textarea
          id={id}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          rows={rows}
          maxLength={control.maxLength}
          placeholder={control.placeholder}
          className={control.className}
        />
      )}
    </>
  );
}

/**
 * A form of one text box and its button, which waits while the last submit is pending or the box is
 * blank. `beforeSubmit` sits between the box and the button (an error), `children` after the button.
 */
export function TextEntryForm({
  onSubmit,
  formClassName,
  submitLabel,
  pending,
  buttonClassName,
  beforeSubmit,
  children,
  ...entry
}: Props & {
  onSubmit: () => void;
  formClassName: string;
  submitLabel: ReactNode;
  pending: boolean;
  buttonClassName?: string;
  beforeSubmit?: ReactNode;
  children?: ReactNode;
}) {
  const blank = entry.value.trim() === "";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!blank) onSubmit();
  };
  return (
    <form onSubmit={submit} className={formClassName}>
      <TextEntry {...entry} />
      {beforeSubmit}
      <Button type="submit" variant="secondary" disabled={pending || blank} className={buttonClassName}>
        {submitLabel}
      </Button>
      {children}
    </form>
  );
}
