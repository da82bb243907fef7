import type { ComponentProps, ReactNode } from "react";
import { Button } from "./button";

/** A form's submit button with, beside it, what saving said: a status once saved, the server's message on failure. */
export function SaveBar({
  label,
  pending,
  saved,
  error,
  variant,
}: {
  label: ReactNode;
  pending: boolean;
  saved?: ReactNode;
  error: Error | null;
  variant?: ComponentProps<typeof Button>["variant"];
}) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant={variant} disabled={pending}>
        {label}
      </Button>
      {saved && <p role="status">{saved}</p>}
      {error && (
        <p role="alert" className="text-red-800">
          {error.message}
        </p>
      )}
    </div>
  );
}
