import { expect, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { expectNoAxeViolations, expectTouchTargets, lookUp, queryDatabase, signIn, snap } from "./helpers";

const anna = DEMO_CUSTOMERS.anna;

test.describe("walk-in lookup", () => {
  test.beforeEach(async ({ page }) => signIn(page, "associate"));

  test("every way of giving Anna's details opens her one profile", async ({ page }, info) => {
    const seen = new Set<string>();
    for (const query of [
      anna.posPhone,
      anna.ecomPhone,
      "(07412) 345-678",
      "+447412345678",
      anna.email,
      anna.email.trim().toUpperCase(),
      anna.loyaltyId,
      anna.loyaltyId.toLowerCase(),
    ]) {
      await page.goto("/");
      await lookUp(page, query);
      await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
      seen.add(new URL(page.url()).pathname);
    }
    expect([...seen]).toHaveLength(1);
    await snap(page, "profile-anna", info.project.name);
  });

  test("Enter brings the profile back in the lookup's own response: one request, no navigation or script after it", async ({ page }) => {
    await page.goto("/");
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "fetch") sent.push(`${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).searchParams.has("_rsc") ? " rsc" : ""}`);
    });
    const enter = await page.evaluate(() => performance.now());
    await lookUp(page, anna.loyaltyId);
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
    await expect(page.getByRole("region", { name: "Purchase history" }).getByTestId("history-order").first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Notes" })).toBeVisible();
    expect(new URL(page.url()).pathname).toMatch(/^\/customers\/\d+$/);
    // The lookup's POST, then only what the profile asks for itself (its suggestions), never the page's payload.
    expect(sent[0]).toBe("POST /");
    expect(sent.filter((s) => s.endsWith(" rsc"))).toEqual([]);
    // Nor any code: a script only the profile uses is fetched after its payload arrives, and the
    // profile waits for it before it can show the name.
    const scripts = await page.evaluate(
      (since) =>
        (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
          .filter((e) => e.initiatorType === "script" && e.startTime >= since)
          .map((e) => e.name),
      enter,
    );
    expect(scripts).toEqual([]);
    // Back returns to the search, as after any navigation.
    await page.goBack();
    await expect(page.getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" })).toBeVisible();
  });

  test("the profile shows her history across stores, online and the app, with returns", async ({ page }) => {
    await lookUp(page, anna.email);
    const history = page.getByRole("region", { name: "Purchase history" });
    await expect(history).toBeVisible();
    const wheres = page.getByTestId("order-where");
    await expect(wheres.first()).toBeVisible();
    // Enough pages to see all three channels.
    while (await page.getByRole("button", { name: "Show older purchases" }).isVisible()) {
      await page.getByRole("button", { name: "Show older purchases" }).click();
      await expect(page.getByRole("button", { name: "Loading…" })).toHaveCount(0);
    }
    const texts = await wheres.allTextContents();
    expect(texts).toContain("Online");
    expect(texts).toContain("App");
    expect(texts.some((t) => t.includes("London"))).toBe(true);
    await expect(history.getByText("Return", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("Lifetime spend")).toBeVisible();
  });

  test("a long history is paged, not loaded whole", async ({ page }, info) => {
    await lookUp(page, DEMO_CUSTOMERS.oliver.email);
    await expect(page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.oliver.name })).toBeVisible();
    const orders = page.getByTestId("history-order");
    await expect(orders).toHaveCount(10);
    await page.getByRole("button", { name: "Show older purchases" }).click();
    await expect(orders).toHaveCount(20);
    await snap(page, "profile-long-history", info.project.name);
  });

  test("unknown and bad input get a clear message, never an error page", async ({ page }, info) => {
    await lookUp(page, "07412 999 000");
    await expect(page.getByText("No customer found for +447412999000")).toBeVisible();
    await snap(page, "lookup-not-found", info.project.name);
    await lookUp(page, "anna@");
    await expect(page.getByText('"anna@" is not a valid email address.')).toBeVisible();
    await lookUp(page, "12345");
    await expect(page.getByText(/"12345" is not a valid phone number/)).toBeVisible();
    await lookUp(page, "CL 1234");
    await expect(page.getByText(/not a valid loyalty ID/)).toBeVisible();
    await lookUp(page, "x".repeat(500));
    await expect(page.getByText("That is too long to be a loyalty ID, phone number, email or name.")).toBeVisible();
    await lookUp(page, "   ");
    await expect(page.getByText("Type or scan a loyalty ID, phone number, email or name.")).toBeVisible();
    await snap(page, "lookup-invalid", info.project.name);
  });

  test("narrowing a common name never blanks the screen: no one left says which details to loosen, a detail typed wrong is said beside its field", async ({
    page,
  }, info) => {
    await lookUp(page, "kowalski");
    const outcome = page.getByTestId("lookup-outcome");
    await expect(outcome).toContainText(/\d+ customers match “kowalski”/);
    const list = outcome.getByRole("list", { name: "Matching customers" });
    const town = outcome.getByLabel("Town or city");
    const year = outcome.getByLabel("Year of birth");
    const find = page.getByRole("button", { name: "Find", exact: true });
    const clear = outcome.getByRole("button", { name: "Clear narrowing" });

    // A real year nobody called Kowalski was born in: said, with the fields still there to correct.
    await year.fill("2020");
    const nobody = outcome.getByTestId("narrowed-away");
    await expect(nobody).toHaveText("No customer matches “kowalski” with year of birth 2020.");
    await expect(outcome).toContainText("Check the year of birth with the customer and correct it, or clear the narrowing");
    await expect(list).toHaveCount(0);
    await expect(year).toHaveValue("2020");
    await expectTouchTargets(page);
    await snap(page, "lookup-narrowed-to-nobody", info.project.name);
    // Find runs the name again with the fields as they are: the same answer, not a blank.
    await find.click();
    await expect(nobody).toHaveText("No customer matches “kowalski” with year of birth 2020.");
    await expect(year).toBeVisible();

    // Out of range: the server's check, said beside the field, after typing and after Find.
    const yearMessage = /^Type a year from 1900 to \d{4}\.$/;
    for (const wrong of ["1088", "1800"]) {
      await year.fill(wrong);
      await expect(year).toHaveAttribute("aria-invalid", "true");
      await expect(year).toHaveAccessibleDescription(yearMessage);
      await find.click();
      await expect(year).toHaveAccessibleDescription(yearMessage);
      await expect(year).toHaveValue(wrong);
    }
    await snap(page, "lookup-narrowing-invalid", info.project.name);
    // Half a year is left alone while typing; Enter in the field is Find, which says what is missing.
    await year.fill("19");
    await expect(year).not.toHaveAttribute("aria-invalid", "true");
    await year.press("Enter");
    await expect(year).toHaveAccessibleDescription(yearMessage);

    // Her year finds her again.
    await year.fill("1988"); // her till record's year of birth in the demo
    await expect(year).not.toHaveAttribute("aria-invalid", "true");
    await expect(list.getByRole("link", { name: new RegExp(anna.name) })).toBeVisible();
    await expect(list.getByText("Matched on surname and birth year").first()).toBeVisible();

    // A town past the longest the server takes is said beside it, never cut short or blanked.
    await town.fill("x".repeat(90));
    await expect(town).toHaveAccessibleDescription("Type at most 80 characters.");
    await expect(town).toHaveValue("x".repeat(90));
    await town.fill("Nowhere-on-Sea");
    await expect(nobody).toHaveText("No customer matches “kowalski” with town or city “Nowhere-on-Sea” and year of birth 1988.");
    await expect(outcome).toContainText("Check the town or city and year of birth with the customer and loosen one of them");

    // One press gives the whole list back, ready for the next detail.
    await clear.click();
    await expect(list.getByRole("link")).toHaveCount(10);
    await expect(outcome).toContainText(/\d+ customers match “kowalski”/);
    await expect(town).toHaveValue("");
    await expect(year).toHaveValue("");
    await expect(town).toBeFocused();
    await expect(clear).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test("every profile view is audited with who, where and how the customer was found", async ({ page }) => {
    const before = queryDatabase<{ n: number }>("select count(*) n from audit_log where action = 'profile.view'")[0].n;
    await lookUp(page, anna.loyaltyId);
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
    const profileId = Number(new URL(page.url()).pathname.split("/").pop());
    await expect.poll(() => queryDatabase<{ n: number }>("select count(*) n from audit_log where action = 'profile.view'")[0].n).toBeGreaterThan(before);
    const [row] = queryDatabase<{ profile_id: number; email: string; code: string; detail: string }>(
      `select a.profile_id, s.email, st.code, a.detail from audit_log a join staff s on s.id = a.staff_id join stores st on st.id = a.store_id
       where a.action = 'profile.view' order by a.id desc limit 1`,
    );
    expect(row).toMatchObject({ profile_id: profileId, email: "associate@demo.clientele", code: "LDN" });
    expect(JSON.parse(row.detail)).toEqual({ via: "loyalty" });
  });

  test("profile pages and lookups are never stored by the browser", async ({ page }) => {
    await lookUp(page, anna.email);
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
    const response = await page.request.get(page.url());
    expect(response.headers()["cache-control"]).toContain("no-store");
    // The app-shell worker caches built assets and the offline page only, never a profile or a lookup.
    const cached = await page.evaluate(async () => {
      const paths: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
      return paths;
    });
    expect(
      cached.filter((path) => !path.startsWith("/_next/static/") && !path.startsWith("/icons/") && path !== "/favicon.ico" && path !== "/offline"),
    ).toEqual([]);
  });

  test("an associate cannot browse profiles by ID", async ({ page }) => {
    await lookUp(page, anna.email);
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
    const { pathname } = new URL(page.url());
    await page.goto(pathname);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    await expect(page.getByText(anna.name)).toHaveCount(0);
  });
});

test("a manager opens a profile directly and a merged-away ID opens the survivor", async ({ page }) => {
  await signIn(page, "manager");
  // Managers open their own store's customers directly (bought there or assigned to its staff).
  const [merged] = queryDatabase<{ id: number; merged_into: number }>(
    "select p.id, p.merged_into from profiles p join store_customer_stats s on s.profile_id = p.merged_into and s.store_id = (select id from stores where code = 'LDN') where p.merged_into is not null limit 1",
  );
  expect(merged, "the demo data always has records that bridge two profiles").toBeTruthy();
  await page.goto(`/customers/${merged.id}`);
  await expect(page).toHaveURL(new RegExp(`/customers/${merged.merged_into}$`));
  await expect(page.getByRole("heading", { name: "Purchase history" })).toBeVisible();
});
