import { z } from "zod";
import { DomainError } from "@/lib/errors";

/** Parses input or throws invalid_input carrying every field's message, for forms to show beside each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { fieldErrors, formErrors } = z.flattenError(parsed.error);
    throw new DomainError("invalid_input", formErrors[0] ?? "Please check the highlighted fields.", fieldErrors as Record<string, string[]>);
  }
  return parsed.data;
}
