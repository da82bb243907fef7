import { type Page, expect, test } from "@playwright/test";
import { queryDatabase, signIn, snap, openFromNav } from "./helpers";

const LONDON = 1;
const LEEDS = 2;

function storeIdOf(code: string): number {
  return queryDatabase<{ id: number }>("select id from stores where code = ?", code)[0].id;
}

async function signInAs(page: Page, email: string, password: string, name: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(name)).toBeVisible();
}

const rows = (page: Page) => page.getByRole("table").locator("tbody tr");
const firstCustomer = (page: Page) => rows(page).first().getByRole("link");

test.describe("store manager's customer list", () => {
  // Each test signs in and loads several server-rendered pages; a shared, busy machine needs more than the default 30 s.
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(() => {
    expect(storeIdOf("LDN")).toBe(LONDON);
    expect(storeIdOf("LDS")).toBe(LEEDS);
  });

  test("filters on the server, pages by keyset, and keeps the filter in the address", async ({ page }, info) => {
    await signIn(page, "manager");
    await openFromNav(page, "Customers");
    await expect(page.getByRole("heading", { level: 1, name: "Customers · London Regent St" })).toBeVisible();
    await expect(rows(page)).toHaveCount(50);

    const filters = page.getByRole("form", { name: "Filters" });
    await filters.getByLabel("Tier").selectOption("Bronze");
    await filters.getByLabel("Consent").selectOption("email");
    await filters.getByLabel("Sort").selectOption("spend_desc");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/tier=Bronze/);
    await expect(page).toHaveURL(/consent=email/);
    await expect(page).toHaveURL(/sort=spend_desc/);

    const expected = queryDatabase<{ n: number }>(
      "select count(*) n from store_customer_stats where store_id = ? and tier = 'Bronze' and consent_email = 1",
      LONDON,
    )[0].n;
    expect(expected).toBeGreaterThan(50);
    await expect(rows(page)).toHaveCount(50);
    for (const tier of await rows(page).locator("td:nth-child(2) span").allTextContents()) expect(tier).toBe("Bronze");
    await snap(page, "customer-list", info.project.name);

    const firstOnPageOne = await firstCustomer(page).textContent();
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(firstCustomer(page)).not.toHaveText(firstOnPageOne!);
    const firstOnPageTwo = await firstCustomer(page).textContent();

    // A bookmark: the same address in a new load gives the same filters and the same page.
    await page.reload();
    await expect(filters.getByLabel("Tier")).toHaveValue("Bronze");
    await expect(filters.getByLabel("Consent")).toHaveValue("email");
    await expect(firstCustomer(page)).toHaveText(firstOnPageTwo!);

    await page.getByLabel("Select all on this page").check();
    await expect(page.getByRole("toolbar", { name: "List actions" }).getByRole("status")).toHaveText("50 selected");
    await rows(page).first().getByRole("checkbox").uncheck();
    await expect(page.getByRole("toolbar", { name: "List actions" }).getByRole("status")).toHaveText("49 selected");

    // Managers open their store's customers directly from the list.
    await firstCustomer(page).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "You do not have access to this page" })).toHaveCount(0);
  });

  test("saves a list under a name and deletes it, both audited", async ({ page }, info) => {
    await signIn(page, "manager");
    await page.goto("/customers/list?tier=Silver&notSeen=90");
    const name = `Lapsed silver ${info.project.name}`;
    await page.getByLabel("Save this list as").fill(name);
    await page.getByRole("button", { name: "Save list" }).click();
    const saved = page.getByRole("region", { name: "Saved lists" }).getByRole("link", { name });
    await expect(saved).toBeVisible();
    await page.goto("/customers/list");
    await saved.click();
    await expect(page).toHaveURL(/tier=Silver/);
    await expect(page).toHaveURL(/notSeen=90/);
    await expect(page.getByRole("form", { name: "Filters" }).getByLabel("Not seen for (days)")).toHaveValue("90");
    await page.getByRole("button", { name: `Delete saved list ${name}` }).click();
    await expect(saved).toHaveCount(0);
    const audit = queryDatabase<{ action: string }>(
      "select action from audit_log where action like 'customer_list.%' and json_extract(detail, '$.name') = ? order by id",
      name,
    );
    expect(audit.map((a) => a.action)).toEqual(["customer_list.save", "customer_list.delete"]);
  });

  test("exports the filtered list as CSV within the consent rule, audited", async ({ page }) => {
    await signIn(page, "manager");
    await page.goto("/customers/list?tier=Gold&from=2020-01-01");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const fs = await import("node:fs/promises");
    const text = await fs.readFile((await download.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("profile_id,first_name,last_name,tier,last_purchase,orders,spend_gbp,email,phone,city,postcode");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1, 200)) {
      const cells = line.split(",");
      const [profile] = queryDatabase<{ consents: string; tier: string }>("select consents, tier from profiles where id = ?", Number(cells[0]));
      const consents = JSON.parse(profile.consents ?? "{}") as Record<string, { granted: boolean }>;
      expect(profile.tier).toBe("Gold");
      expect(consents.email?.granted || consents.sms?.granted || consents.post?.granted).toBe(true);
      if (cells[7]) expect(consents.email?.granted).toBe(true);
      if (cells[8]) expect(consents.sms?.granted).toBe(true);
      if (cells[9] || cells[10]) expect(consents.post?.granted).toBe(true);
    }
    await expect
      .poll(
        () =>
          queryDatabase<{ rows: number }>(
            "select json_extract(detail, '$.rows') rows from audit_log where action = 'customer_list.export' order by id desc limit 1",
          )[0]?.rows,
      )
      .toBe(lines.length - 1);
  });

  test("explains a broken address instead of failing", async ({ page }) => {
    await signIn(page, "manager");
    await page.goto("/customers/list?minSpend=lots&consent=fax");
    const alert = page.getByRole("alert").filter({ hasText: "This list address has a problem" });
    await expect(alert).toContainText("Spend from: Enter an amount in pounds.");
    await expect(alert).toContainText("Consent: Consent is email, sms or post.");
  });

  test("a manager sees only their own store's list, export and customers", async ({ page, request }, info) => {
    const unauthenticated = await request.get(`/customers/list/export?store=${LONDON}`, { maxRedirects: 0 });
    expect(unauthenticated.status()).toBe(401);
    expect((await unauthenticated.json()).error.code).toBe("unauthenticated");

    await signInAs(page, "manager.leeds@demo.clientele", "demo-manager", "Alex Morgan");
    await page.goto("/customers/list");
    await expect(page.getByRole("heading", { level: 1, name: "Customers · Leeds Briggate" })).toBeVisible();
    await page.goto(`/customers/list?store=${LONDON}`);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    await snap(page, "customer-list-forbidden", info.project.name);
    const exported = await page.request.get(`/customers/list/export?store=${LONDON}`);
    expect(exported.status()).toBe(403);
    expect((await exported.json()).error.code).toBe("forbidden");

    const londonOnly = queryDatabase<{ id: number }>(
      "select profile_id id from store_customer_stats s where store_id = ? and not exists (select 1 from store_customer_stats o where o.store_id = ? and o.profile_id = s.profile_id) limit 1",
      LONDON,
      LEEDS,
    )[0].id;
    await page.goto(`/customers/${londonOnly}`);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  });

  test("associates get no browse list", async ({ page }) => {
    await signIn(page, "associate");
    await expect(page.getByRole("link", { name: "Customers", exact: true })).toHaveCount(0);
    await page.goto("/customers/list");
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    expect((await page.request.get("/customers/list/export")).status()).toBe(403);
  });
});
