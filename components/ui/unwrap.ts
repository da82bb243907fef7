import type { Failure, Result } from "@/lib/errors";

/** Server actions return typed results; TanStack Query wants a throw for the error state. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ActionFailure(result);
  return result.data;
}

/** A failed action as a thrown error that keeps the per-field messages for the form. */
class ActionFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return error instanceof ActionFailure ? (error.failure.fieldErrors ?? {}) : {};
}
