import { describe, expect, it, vi } from "vitest";
import { DomainError, GENERIC_MESSAGE } from "@/lib/errors";
import { RouteError, methodNotAllowed, routeHandler } from "./route-handler";

describe("routeHandler", () => {
  it("answers every failure in one shape: callers' mistakes 4xx, our faults a 500 with no detail", async () => {
    const body = async (res: Response) => ({ status: res.status, body: await res.json() });
    expect(await body(await routeHandler(() => Promise.reject(new DomainError("forbidden"))))).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: "You do not have access to this." } },
    });
    expect(await body(await routeHandler(() => Promise.reject(new DomainError("invalid_input", "Check the dates.", { from: ["Pick a day."] }))))).toEqual({
      status: 400,
      body: { error: { code: "invalid_input", message: "Check the dates.", fields: [{ field: "from", message: "Pick a day." }] } },
    });
    expect((await routeHandler(() => Promise.reject(new RouteError(413, "payload_too_large", "Too big.")))).status).toBe(413);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const crash = await routeHandler(() => Promise.reject(new TypeError("secret internals at /srv/app.js:12")));
    expect(await body(crash)).toEqual({ status: 500, body: { error: { code: "internal", message: GENERIC_MESSAGE } } });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("answers a method a route does not take with 405, the methods it does take, and the one error shape", async () => {
    const res = methodNotAllowed(["POST"])();
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: "This address takes POST only." } });
  });
});
