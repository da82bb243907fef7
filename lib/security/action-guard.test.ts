import { describe, expect, it } from "vitest";
import { nestedTooDeep } from "@/lib/validate";
import { MAX_ACTION_BODY_BYTES, refuseBadActionCall } from "./action-guard";
import { servedOverHttps } from "./transport";

const call = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://shop.test/customers/1", {
    method: "POST",
    body,
    headers: { host: "shop.test", origin: "http://shop.test", "next-action": "abc", "content-type": "text/plain;charset=UTF-8", ...headers },
  });

const statusOf = async (request: Request) => (await refuseBadActionCall(request))?.status ?? "through";

describe("server action calls the app would crash on", () => {
  it("lets an ordinary call through, and anything that is not an action call", async () => {
    expect(await statusOf(call(JSON.stringify([{ profileId: 1, grant: null }])))).toBe("through");
    expect(await statusOf(call("x", { "content-type": "multipart/form-data; boundary=b" }))).toBe("through");
    expect(await statusOf(new Request("http://shop.test/", { method: "POST", body: "not json" }))).toBe("through");
  });

  it("refuses another site's page, an oversized, non-JSON or deeply nested body with a 4xx and a reason", async () => {
    const crossOrigin = await refuseBadActionCall(call("[]", { origin: "https://evil.example" }));
    expect(crossOrigin?.status).toBe(403);
    expect(await crossOrigin?.text()).toMatch(/only from this site's own pages/);
    expect(await statusOf(call("[]", { origin: "null" }))).toBe(403);
    expect(await statusOf(call(JSON.stringify(["x".repeat(MAX_ACTION_BODY_BYTES)])))).toBe(413);
    expect(await statusOf(call("{not json"))).toBe(400);
    expect(await statusOf(call("[1]", { "content-type": "application/xml" }))).toBe(415);
    expect(await statusOf(call(`${"[".repeat(100_000)}${"]".repeat(100_000)}`))).toBe(400);
  });
});

describe("nestedTooDeep", () => {
  it("counts only brackets outside strings", () => {
    expect(nestedTooDeep(`["${"[".repeat(500)}"]`)).toBe(false);
    expect(nestedTooDeep(`["\\"${"[".repeat(500)}"]`)).toBe(false);
    expect(nestedTooDeep(`${'{"a":'.repeat(65)}1${"}".repeat(65)}`)).toBe(true);
    expect(nestedTooDeep(`${"[".repeat(64)}${"]".repeat(64)}`)).toBe(false);
  });
});

describe("servedOverHttps", () => {
  it("reads the protocol the connection (or a trusted proxy) reported", () => {
    expect(servedOverHttps(new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(servedOverHttps(new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
    expect(servedOverHttps(new Headers())).toBe(false);
  });
});
