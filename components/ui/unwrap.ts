import type { Result } from "@/lib/errors";

/** Server actions return typed results; TanStack Query wants a throw for the error state. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new Error(result.message);
  return result.data;
}
