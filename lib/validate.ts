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

/** Deeper than any record we take: real payloads nest a few levels; a deeper one is an attack or a bug. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `max`, found in one pass over the text
 * without parsing it: walking a deep value recursively (validating it, describing what is wrong
 * with it, answering with it) overflows the stack long before JSON.parse itself complains.
 */
export function nestedTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * A row's ID as a URL writes it: digits only, so "1e0", "0x1" and " 1" name no customer (Number()
 * reads each as 1). Null for anything else.
 */
export function idFromPath(raw: string | null | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}
