import { describe, expect, it } from "vitest";
import { isNavigationError, isRedirectError } from "./errors";

describe("Next's navigation errors", () => {
  const thrown = (digest: string) => Object.assign(new Error(digest.split(";")[0]), { digest });

  it("tells a redirect, from the server or replayed in the browser, from any other failure", () => {
    expect(isRedirectError(thrown("NEXT_REDIRECT;push;/customers/7?g=x;307;"))).toBe(true);
    expect(isRedirectError(thrown("NEXT_HTTP_ERROR_FALLBACK;404"))).toBe(false);
    expect(isRedirectError(new Error("NEXT_REDIRECT"))).toBe(false);
    expect(isRedirectError(null)).toBe(false);
  });

  it("lets redirects and not-found pass through as navigation, and nothing else", () => {
    expect(isNavigationError(thrown("NEXT_REDIRECT;replace;/sign-in;307;"))).toBe(true);
    expect(isNavigationError(thrown("NEXT_HTTP_ERROR_FALLBACK;404"))).toBe(true);
    expect(isNavigationError(thrown("DYNAMIC_SERVER_USAGE"))).toBe(false);
    expect(isNavigationError("NEXT_REDIRECT")).toBe(false);
  });
});
