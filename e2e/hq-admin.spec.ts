import fs from "node:fs";
import { type Browser, expect, test } from "@playwright/test";
import { STAFF, expectNoAxeViolations, expectTouchTargets, queryDatabase, signIn, snap, openFromNav, writeDatabase } from "./helpers";

const HQ_PAGES = [
  { path: "/hq/staff", heading: "Staff" },
  { path: "/hq/stores", heading: "Stores" },
  { path: "/hq/sources", heading: "Sources" },
  { path: "/hq/identity", heading: "Identity settings" },
  { path: "/hq/audit", heading: "Audit log" },
] as const;

/** Unique per run and per viewport: both projects share one database. */
const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

async function signInAs(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  return { page, close: () => context.close() };
}

test.describe("head office administration", () => {
  // Several steps and a second browser per test, on a machine the other sessions share.
  test.describe.configure({ timeout: 120_000 });

  test("head office's header is one row either way up, with its own pages under More on a tablet", async ({ page }, info) => {
    await signIn(page, "hq");
    const nav = page.getByRole("navigation", { name: "Main" });
    const tops = new Set<number>();
    for (const item of [
      nav.getByRole("link", { name: "Clientele" }),
      ...["Find", "Enrol", "Client book", "Follow-ups"].map((name) => nav.getByRole("link", { name, exact: true })),
      nav.getByText("More"),
    ]) {
      await expect(item).toBeVisible();
      const box = (await item.boundingBox())!;
      tops.add(Math.round(box.y + box.height / 2));
    }
    expect(tops.size).toBe(1);
    // One row of 44 px touch targets with its padding.
    expect((await page.locator("header").boundingBox())!.height).toBeLessThan(70);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await nav.getByText("More").click();
    for (const name of ["Customers", "Team", "Duplicates", "Head office"]) await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
    await snap(page, "hq-header", info.project.name);
  });

  for (const { path, heading } of HQ_PAGES) {
    test(`${heading}: reached from the head office menu, usable by touch and passes axe`, async ({ page }, info) => {
      await signIn(page, "hq");
      await openFromNav(page, "Head office");
      await page
        .getByRole("navigation", { name: "Head office" })
        .getByRole("link", { name: heading === "Identity settings" ? "Identity" : heading, exact: true })
        .click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Head office" }).getByRole("link", { name: "Suggestion results" })).toHaveAttribute(
        "href",
        "/hq/suggestions",
      );
      if (path === "/hq/sources") await expect(page.getByRole("link", { name: "API keys for these systems" })).toHaveAttribute("href", "/hq/api-keys");
      await expectTouchTargets(page);
      await expectNoAxeViolations(page);
      await snap(page, path.slice(1).replaceAll("/", "-"), info.project.name);
    });
  }

  test("head office creates an associate who can sign in, then disables them and they are locked out at once", async ({ page, browser }, info) => {
    const name = `Robin Test ${unique()}`;
    const email = `robin.${unique()}@demo.clientele`;
    await signIn(page, "hq");
    await page.goto("/hq/staff");
    const form = page.getByRole("form", { name: "New staff member" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Work email").fill(email);
    await form.getByLabel("Role").selectOption("associate");
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(form.getByText("Associates and managers need a home store.")).toBeVisible();

    await form.getByLabel("Home store").selectOption({ label: "Bristol Cabot Circus" });
    await form.getByRole("button", { name: "Create account" }).click();
    const password = (await form.getByTestId("new-password").textContent())!;
    expect(password).toMatch(/^[A-Za-z2-9]{14}$/);
    await snap(page, "hq-staff-created", info.project.name);

    const associate = await signInAs(browser, email, password);
    await expect(associate.page.getByText(name)).toBeVisible();
    await expect(associate.page.getByRole("heading", { name: "Find a customer" })).toBeVisible();

    const row = page.getByRole("listitem", { name });
    await expect(row).toContainText("Sales associate · Bristol Cabot Circus");
    await row.getByRole("button", { name: `Disable ${name}` }).click();
    await expect(row.getByText("Disabled", { exact: true })).toBeVisible();

    await associate.page.reload();
    await expect(associate.page).toHaveURL(/\/(sign-in|lock)$/);
    await expect(associate.page.getByText(name)).toHaveCount(0);
    await associate.page.goto("/sign-in");
    await associate.page.getByLabel("Work email").fill(email);
    await associate.page.getByLabel("Password").fill(password);
    await associate.page.getByRole("button", { name: "Sign in" }).click();
    await expect(associate.page.getByText("That email and password do not match an active staff account.")).toBeVisible();
    await associate.close();

    const id = queryDatabase<{ id: number }>("select id from staff where email = ?", email)[0].id;
    const trail = queryDatabase<{ action: string; detail: string }>(
      "select action, detail from audit_log where action like 'hq.staff.%' and json_extract(detail, '$.staffId') = ? order by id",
      id,
    );
    expect(trail.map((t) => t.action)).toEqual(["hq.staff.create", "hq.staff.disable"]);
    expect(trail[0].detail).not.toContain(password);
  });

  test("head office changes a store's lock timeout and blocks a value, then finds both in the audit log and exports them", async ({ page }, info) => {
    const current = queryDatabase<{ s: number }>("select lock_timeout_seconds as s from stores where code = 'BRS'")[0].s;
    const seconds = current === 300 ? 240 : 300;
    await signIn(page, "hq");
    await page.goto("/hq/stores");
    const bristol = page.getByRole("listitem", { name: "Bristol Cabot Circus" });
    await bristol.getByLabel("Edit Bristol Cabot Circus").click();
    const settings = bristol.getByRole("form", { name: "Settings of Bristol Cabot Circus" });
    const lock = settings.getByLabel("Tablet lock after (seconds)");
    await lock.fill("5");
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(settings.getByText("At least 30 seconds.")).toBeVisible();
    await expect(lock).toHaveAttribute("aria-invalid", "true");
    await lock.fill(String(seconds));
    await settings.getByRole("button", { name: "Save" }).click();
    await expect(settings.getByRole("status")).toHaveText("Saved.");
    await expect(bristol).toContainText(`tablets lock after ${seconds} s`);
    expect(queryDatabase<{ s: number }>("select lock_timeout_seconds as s from stores where code = 'BRS'")[0].s).toBe(seconds);

    const digits = unique().slice(-6);
    const typed = `07412 ${digits}`;
    const stored = `+447412${digits}`;
    await page.goto("/hq/identity");
    const model = page.getByRole("region", { name: "Match model" });
    await expect(model.getByRole("table", { name: "Weight of each comparison level" })).toBeVisible();
    await expect(model.getByText("counts as the strongest one, plus at most one more")).toBeVisible();
    const phones = page.getByRole("region", { name: "Blocked phone numbers" });
    await phones.getByLabel("Block phone number").fill("12");
    await phones.getByRole("button", { name: "Block", exact: true }).click();
    await expect(phones.getByText("That is not a valid phone number.")).toBeVisible();
    await phones.getByLabel("Block phone number").fill(typed);
    await phones.getByRole("button", { name: "Block", exact: true }).click();
    await expect(phones.getByRole("status")).toHaveText(`Blocked ${stored}.`);
    await expect(phones.getByRole("button", { name: `Unblock ${stored}` })).toBeVisible();

    await page.goto("/hq/audit");
    const filters = page.getByRole("form", { name: "Filter the audit log" });
    await filters.getByLabel("Staff").selectOption({ label: STAFF.hq.name });
    await filters.getByLabel("Action").fill("hq.identity.block");
    await filters.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/action=hq\.identity\.block/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toContainText(stored);
    for (const action of await rows.locator("td:nth-child(4)").allTextContents())
      expect(action).toBe("Blocked a placeholder value from matchinghq.identity.block");

    await filters.getByLabel("Action").fill("hq.store");
    await filters.getByRole("button", { name: "Show" }).click();
    await expect(rows.first()).toContainText("hq.store.update");
    await expect(rows.first()).toContainText(`to ${seconds}`);
    await expect(rows.first()).not.toContainText("{");
    await snap(page, "hq-audit-filtered", info.project.name);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,staff_id,staff,store,action,profile_id,detail");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(",hq.store.update,") || l.includes(",hq.store.create,"))).toBe(true);
    expect(csv).toContain(`""to"":${seconds}`);
    const exports = queryDatabase<{ detail: string }>("select detail from audit_log where action = 'hq.audit.export' order by id desc limit 1");
    expect(JSON.parse(exports[0].detail)).toEqual({ filters: { staffId: expect.any(String), action: "hq.store" } });

    await phones.page().goto("/hq/identity");
    await page
      .getByRole("region", { name: "Blocked phone numbers" })
      .getByRole("button", { name: `Unblock ${stored}` })
      .click();
    await expect(page.getByRole("button", { name: `Unblock ${stored}` })).toHaveCount(0);
  });

  test("the match thresholds form says only what its last dry run or save said, and drops dry-run counts once a threshold changes", async ({ page }, info) => {
    const identitySettings = () => queryDatabase<{ value: string }>("select value from settings where key = 'identity'")[0]?.value;
    const before = identitySettings();
    await signIn(page, "hq");
    await page.goto("/hq/identity");
    const form = page.getByRole("form", { name: "Match thresholds" });
    const automatic = form.getByLabel("Merge automatically from");
    const review = form.getByLabel("Ask a reviewer from");
    // The form's own message (the route announcer is a role=alert of the page's).
    const result = form.getByRole("status");
    const dryRun = form.getByRole("button", { name: "Dry run on today's store" });
    const counts = /^With these thresholds the nightly pass would make [\d,]+ merges? and [\d,]+ new review items? \([\d,]+ pairs? compared\)/;
    try {
      // A dry run refused on a field, then a valid save: the save's word alone, no error left.
      await automatic.fill("abc");
      await dryRun.click();
      await expect(form.getByText("Enter a probability.")).toBeVisible();
      await expect(result).toHaveText("Please check the highlighted fields.");
      await automatic.fill("0.98");
      await review.fill("0.55");
      await form.getByRole("button", { name: "Save" }).click();
      await expect(result).toHaveText("Saved. Imports and the nightly pass use these from now on.");
      await expect(form.getByText("Enter a probability.")).toHaveCount(0);
      await expect(automatic).not.toHaveAttribute("aria-invalid");
      await snap(page, "hq-thresholds-saved", info.project.name);

      // A save refused on a field, then a valid dry run: its counts, no error left.
      await automatic.fill("1");
      await form.getByRole("button", { name: "Save" }).click();
      await expect(form.getByText("Below 1: nothing is certain.")).toBeVisible();
      await automatic.fill("0.99");
      await dryRun.click();
      await expect(result).toHaveText(counts, { timeout: 30_000 });
      await expect(form.getByText("Below 1: nothing is certain.")).toHaveCount(0);
      await expect(automatic).not.toHaveAttribute("aria-invalid");

      // The counts were for 0.99 and 0.55: changing either puts them away until the next dry run.
      await review.fill("0.6");
      await expect(result).toHaveText("The thresholds have changed since the dry run: run it again to count with these.");
      await snap(page, "hq-thresholds-stale", info.project.name);
      await review.fill("0.55");
      await expect(result).toHaveText(counts);
      await review.fill("0.6");
      await dryRun.click();
      await expect(result).toHaveText(counts, { timeout: 30_000 });
    } finally {
      // Both viewports share the store, and the thresholds steer every later test's ingest.
      if (before === undefined) writeDatabase("delete from settings where key = 'identity'");
      else writeDatabase("update settings set value = ? where key = 'identity'", before);
    }
  });

  test("a manager is refused every head office page and the export", async ({ page }) => {
    await signIn(page, "manager");
    for (const { path } of HQ_PAGES) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
    const csv = await page.request.get("/hq/audit/export");
    expect(csv.status()).toBe(403);
    expect(await csv.text()).not.toContain("hq.");
  });
});
