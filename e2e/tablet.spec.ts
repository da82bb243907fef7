import { expect, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { expectNoAxeViolations, expectTouchTargets, lookUp, queryDatabase, signIn, snap, writeDatabase, openFromNav } from "./helpers";

const anna = DEMO_CUSTOMERS.anna;

test("the sign-in screen passes axe", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoAxeViolations(page);
});

test.describe("on the shop floor", () => {
  test("a common name says how many match, narrows by city, birth year or phone, and shows more", async ({ page }, info) => {
    await signIn(page, "associate");
    await page.getByRole("searchbox").fill("smith");
    const outcome = page.getByTestId("lookup-outcome");
    await expect(outcome).toContainText(/\d+ (or more )?customers match “smith”\. Showing the first 10\./);
    const list = page.getByRole("list", { name: "Matching customers" });
    await expect(list.getByRole("link")).toHaveCount(10);
    await outcome.getByRole("button", { name: "Show 10 more" }).click();
    await expect(list.getByRole("link")).toHaveCount(20);
    await outcome.getByLabel("Town or city").fill("Manchester");
    await expect(list.getByText("Matched on surname and city").first()).toBeVisible();
    await expect(outcome).not.toContainText("Showing the first");
    const rows = await list.getByRole("link").allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((text) => text.includes("Manchester"))).toBe(true);
    await expectNoAxeViolations(page);
    await snap(page, "name-search-narrowed", info.project.name);
  });

  test("a scanner's keystrokes and Enter open the card's customer", async ({ page }) => {
    await signIn(page, "associate");
    const box = page.getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" });
    await box.focus();
    await page.keyboard.type(anna.loyaltyId, { delay: 5 });
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
  });

  test("a name lists masked candidates with why they matched, and opening one is audited", async ({ page }, info) => {
    await signIn(page, "associate");
    await page.getByRole("searchbox").fill("kowalski");
    const list = page.getByRole("list", { name: "Matching customers" });
    await expect(list.getByRole("link", { name: /Anna Kowalski/ })).toBeVisible();
    await expect(list.getByText("Matched on surname").first()).toBeVisible();
    await expectTouchTargets(page);
    await expect(list.getByText(/a•••@example\.com/)).toBeVisible();
    await expect(list).not.toContainText(anna.email);
    await expectNoAxeViolations(page);
    await snap(page, "name-search", info.project.name);
    await list.getByRole("link", { name: /Anna Kowalski/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
    const [row] = queryDatabase<{ detail: string }>("select detail from audit_log where action = 'profile.view' order by id desc limit 1");
    expect(JSON.parse(row.detail)).toEqual({ via: "name" });
    await expectNoAxeViolations(page);
  });

  test("the timeline shows purchases, browsing and visits across channels, filterable by channel", async ({ page }, info) => {
    await signIn(page, "associate");
    await lookUp(page, anna.email);
    await page.getByRole("button", { name: "Everything" }).click();
    const timeline = page.getByRole("list", { name: "Timeline" });
    await expect(timeline.getByText(/Wish-listed Aalto Dinner Service/).first()).toBeVisible();
    await expect(timeline.getByTestId("history-order").first()).toBeVisible();
    await snap(page, "timeline", info.project.name);
    await page.getByRole("group", { name: "Filter the timeline by channel" }).getByRole("button", { name: "App" }).click();
    await expect(timeline.getByTestId("order-where").first()).toHaveText("App");
    const wheres = await timeline.getByTestId("order-where").allTextContents();
    expect(new Set(wheres)).toEqual(new Set(["App"]));
    await expectNoAxeViolations(page);
  });

  test("notes, sizes and consent changes are saved and shown after reload", async ({ page }, info) => {
    await signIn(page, "associate");
    await lookUp(page, DEMO_CUSTOMERS.james.email);
    await expect(page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.james.name })).toBeVisible();
    const note = `Looking for a wedding outfit ${Date.now()}`;
    await page.getByLabel("New note").fill(note);
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByTestId("note").filter({ hasText: note })).toBeVisible();
    await page.getByLabel("Category").selectOption("Shoes");
    await page.getByLabel("Size", { exact: true }).fill("42");
    await page.getByRole("button", { name: "Save size" }).click();
    await expect(page.getByRole("definition").filter({ hasText: "42" })).toBeVisible();
    const sms = page.getByLabel("Text messages consent");
    const wasChecked = await sms.isChecked();
    await sms.setChecked(!wasChecked);
    await expect(page.getByTestId("consent-sms")).toContainText(`${wasChecked ? "No" : "Yes"} since`);
    // The box follows the finger at once and stays disabled until the server has the change: reload only then.
    await expect(sms).toBeEnabled();
    await page.reload();
    await expect(page.getByTestId("note").filter({ hasText: note })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "42" })).toBeVisible();
    await expect(page.getByLabel("Text messages consent")).toBeChecked({ checked: !wasChecked });
    await expect(page.getByTestId("consent-sms")).toContainText("via Clientele (in store)");
    const [event] = queryDatabase<{ granted: number; email: string; code: string }>(
      "select e.granted, s.email, st.code from consent_events e join staff s on s.id = e.staff_id join stores st on st.id = e.store_id where e.channel = 'sms' order by e.id desc limit 1",
    );
    expect(event).toEqual({ granted: wasChecked ? 0 : 1, email: "associate@demo.clientele", code: "LDN" });
    await snap(page, "profile-edited", info.project.name);
    await expectTouchTargets(page);
    await expectNoAxeViolations(page);
  });

  test("enrolment warns about a known phone, then enrols a new customer with a loyalty ID", async ({ page }, info) => {
    await signIn(page, "associate");
    await page.goto("/enrol");
    await page.getByLabel("Phone").fill("07412345678");
    await expect(page.getByRole("link", { name: /Is this Anna K\./ })).toBeVisible();
    await page.getByLabel("Phone").fill("0741");
    await expect(page.getByText("This is not a valid phone number for GB.")).toBeVisible();
    await expectNoAxeViolations(page);
    const unique = String(Date.now()).slice(-6);
    await page.getByLabel("First name").fill("Nadia");
    await page.getByLabel("Last name").fill("Enrolled");
    await page.getByLabel("Phone").fill(`07511 ${unique}`);
    await page.getByRole("textbox", { name: "Email" }).fill(`nadia.${unique}@example.com`);
    await expect(page.getByRole("checkbox", { name: "Email" })).not.toBeChecked();
    await page.getByRole("checkbox", { name: "Email" }).check();
    await page.getByRole("button", { name: "Enrol customer" }).click();
    const loyaltyId = await page.getByTestId("new-loyalty-id").textContent();
    expect(loyaltyId).toMatch(/^CL\d{10}$/);
    await expect(page.getByRole("img", { name: `QR code for loyalty ID ${loyaltyId}` })).toBeVisible();
    await snap(page, "enrolled", info.project.name);
    await page.goto("/");
    await lookUp(page, loyaltyId!);
    await expect(page.getByRole("heading", { level: 1, name: "Nadia Enrolled" })).toBeVisible();
    await expect(page.getByTestId("consent-email")).toContainText("Yes since");
  });
});

test.describe("a tablet five people share", () => {
  test.afterEach(() => {
    writeDatabase("update stores set lock_timeout_seconds = 120 where code = 'LDS'");
    writeDatabase("update staff set pin_locked_until = null, pin_failures = 0");
  });

  test("auto-lock clears the page, Back shows nothing, and a PIN unlocks", async ({ page }, info) => {
    // The Leeds tablet locks after 3 s of inactivity for this test.
    writeDatabase("update stores set lock_timeout_seconds = 3 where code = 'LDS'");
    await page.goto("/sign-in");
    await page.getByLabel("Work email").fill("associate.leeds@demo.clientele");
    await page.getByLabel("Password").fill("demo-associate");
    await page.getByRole("button", { name: "Sign in" }).click();
    await lookUp(page, DEMO_CUSTOMERS.priya.phone);
    await expect(page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.priya.name })).toBeVisible();
    await expect(page).toHaveURL(/\/lock$/, { timeout: 10_000 });
    await expect(page.getByText(DEMO_CUSTOMERS.priya.name)).toHaveCount(0);
    expect(await page.evaluate(() => window.sessionStorage.length + window.localStorage.length)).toBe(0);
    await expectNoAxeViolations(page);
    await snap(page, "locked", info.project.name);
    await page.goBack();
    await expect(page.getByText(DEMO_CUSTOMERS.priya.name)).toHaveCount(0);
    await expect(page).toHaveURL(/\/(lock|sign-in)$/);
    await page.goto("/lock");
    await page.getByRole("radio", { name: "Jordan Hughes" }).check();
    await page.getByLabel("PIN").fill("2345");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect(page.getByRole("heading", { name: "Find a customer" })).toBeVisible();
    await expect(page.getByText("Jordan Hughes")).toBeVisible();
  });

  test("repeated wrong PINs lock PIN unlock out", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Work email").fill("manager@demo.clientele");
    await page.getByLabel("Password").fill("demo-manager");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Lock" }).click();
    await expect(page).toHaveURL(/\/lock$/);
    await page.getByRole("radio", { name: "Sam Patel" }).check();
    for (let left = 4; left >= 1; left--) {
      await page.getByLabel("PIN").fill("0000");
      await page.getByRole("button", { name: "Unlock" }).click();
      await expect(page.getByText(`Wrong PIN. ${left} attempt${left === 1 ? "" : "s"} left`)).toBeVisible();
    }
    await page.getByLabel("PIN").fill("0000");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect(page.getByText(/Too many wrong PINs/)).toBeVisible();
    await page.getByLabel("PIN").fill("1234");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect(page.getByText(/Too many wrong PINs/)).toBeVisible();
  });
});

test("a manager sets an associate's PIN, which then unlocks the tablet; associates cannot", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill("manager.leeds@demo.clientele");
  await page.getByLabel("Password").fill("demo-manager");
  await page.getByRole("button", { name: "Sign in" }).click();
  await openFromNav(page, "Team");
  await expect(page.getByText("Sam Patel")).toHaveCount(0);
  const setPin = async (pin: string) => {
    await page.getByLabel("New PIN for Jordan Hughes").fill(pin);
    await page.getByRole("button", { name: "Set PIN" }).click();
    await expect(page.getByText("PIN set for Jordan Hughes.")).toBeVisible();
  };
  await setPin("8642");
  await page.getByRole("button", { name: "Lock" }).click();
  await page.getByRole("radio", { name: "Jordan Hughes" }).check();
  await page.getByLabel("PIN").fill("8642");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "Find a customer" })).toBeVisible();
  await page.goto("/team");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  // Put Jordan's demo PIN back for the other tests and viewports.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Work email").fill("manager.leeds@demo.clientele");
  await page.getByLabel("Password").fill("demo-manager");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Alex Morgan")).toBeVisible();
  await page.goto("/team");
  await setPin("2345");
});
