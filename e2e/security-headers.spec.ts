import { type Page, expect, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { lookUp, signIn } from "./helpers";

test("every page carries a nonce CSP, no framing, no referrer and camera for this origin only", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of ["/sign-in", "/sign-in", "/lock"]) {
    const res = await request.get(path);
    const headers = res.headers();
    const csp = headers["content-security-policy"];
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    nonces.add(nonce!);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["permissions-policy"]).toContain("camera=(self)");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    // Every script Next writes into the page carries this response's nonce.
    const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`))).toEqual([]);
  }
  expect(nonces.size).toBe(3);
});

/** Violations are reported to the page as events; collected from before any page script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) consoleErrors.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...consoleErrors, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

test("the app works under the policy: lookup, profile, enrolment, charts, privacy, with no violation", async ({ page }) => {
  // Several pages and sign-ins in one story: more than the default 30 s on a shared machine.
  test.setTimeout(120_000);
  const violations = await watchViolations(page);
  await signIn(page, "hq");
  // Typing in the lookup and opening a profile need hydrated client code.
  await lookUp(page, DEMO_CUSTOMERS.anna.loyaltyId);
  await expect(page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.anna.name })).toBeVisible();
  await expect(page.getByRole("region", { name: "Purchase history" })).toBeVisible();
  expect(await violations()).toEqual([]);
  await page.goto("/enrol");
  await page.getByRole("textbox", { name: "Email" }).fill(DEMO_CUSTOMERS.anna.email);
  await expect(page.getByText("This email is already known.")).toBeVisible();
  expect(await violations()).toEqual([]);
  await page.goto("/hq/suggestions");
  await expect(page.getByRole("img", { name: "Shown, accepted and converted suggestions per rule" })).toBeVisible();
  expect(await violations()).toEqual([]);
  await page.goto("/hq/privacy");
  await expect(page.getByRole("heading", { level: 1, name: "Privacy requests" })).toBeVisible();
  expect(await violations()).toEqual([]);
});
