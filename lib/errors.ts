/**
 * Expected failures carry a code and a message written for the person in front of the screen.
 * Anything else is a bug: it is logged on the server and the browser sees only GENERIC_MESSAGE.
 */
export const ERROR_CODES = [
  "unauthenticated",
  "forbidden",
  "invalid_input",
  "not_found",
  "unknown_source",
  "unknown_store",
  "unknown_product",
  "unknown_customer",
  "conflict",
  "rate_limited",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  unauthenticated: "Your session has ended. Please sign in again.",
  forbidden: "You do not have access to this.",
  invalid_input: "Some of what was entered is not valid.",
  not_found: "Not found.",
  unknown_source: "Unknown source system.",
  unknown_store: "Unknown store.",
  unknown_product: "Unknown product.",
  unknown_customer: "Unknown customer.",
  conflict: "This was changed by someone else. Reload and try again.",
  rate_limited: "Too many attempts. Wait a moment and try again.",
};

export const GENERIC_MESSAGE = "Something went wrong on our side. Please try again; if it keeps happening, tell your manager.";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 400,
  not_found: 404,
  unknown_source: 400,
  unknown_store: 400,
  unknown_product: 400,
  unknown_customer: 400,
  conflict: 409,
  rate_limited: 429,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export type Failure = { ok: false; code: ErrorCode | "internal"; message: string; fieldErrors?: Record<string, string[]> };
export type Result<T> = { ok: true; data: T } | Failure;

/** Turns any thrown value into a Failure that is safe to send to a browser or API client. */
export function toFailure(error: unknown, log: (e: unknown) => void = (e) => console.error(e)): Failure {
  if (error instanceof DomainError) {
    return { ok: false, code: error.code, message: error.message, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) };
  }
  log(error);
  return { ok: false, code: "internal", message: GENERIC_MESSAGE };
}

const digestOf = (error: unknown) => (error as { digest?: unknown } | null)?.digest;

/** Next's redirect() throws an error with this digest: on the server, and again in the browser that called a server action which redirected. */
export function isRedirectError(error: unknown): boolean {
  const digest = digestOf(error);
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT");
}

/** Next's redirect() and notFound() work by throwing; they must pass through, not become failures. */
export function isNavigationError(error: unknown): boolean {
  const digest = digestOf(error);
  return isRedirectError(error) || (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
