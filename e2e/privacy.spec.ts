import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { lookUp, queryDatabase, signIn, snap } from "./helpers";

type Customer = { id: number; first_name: string; last_name: string; email: string; phone: string; loyalty_id: string };

/** A generated customer (not one of the demo people other tests read), a different one per viewport. */
function disposableCustomer(projectIndex: number): Customer {
  return queryDatabase<Customer>(
    `select id, first_name, last_name, email, phone, loyalty_id from profiles p
     where merged_into is null and email is not null and phone is not null and loyalty_id is not null and first_name is not null and last_name is not null
       and not exists (select 1 from erasures e where e.profile_id = p.id)
     order by id desc limit 1 offset ?`,
    10 + projectIndex,
  )[0];
}

test("head office exports everything about a customer, then erases them for good", async ({ page, browser }, info) => {
  // Several pages and sign-ins in one story: more than the default 30 s on a shared machine.
  test.setTimeout(120_000);
  const customer = disposableCustomer(info.project.name === "tablet-landscape" ? 0 : 1);
  const name = `${customer.first_name} ${customer.last_name}`;
  await signIn(page, "hq");
  await page.goto("/hq/privacy");
  await page.getByRole("searchbox", { name: "Loyalty ID, phone, email, name or #profile ID" }).fill(customer.phone);
  await page.getByRole("button", { name: "Find" }).click();
  await page
    .getByRole("list", { name: "Customers found" })
    .getByRole("link", { name: new RegExp(name) })
    .click();
  await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  await expect(page.getByText(`Profile #${customer.id}`)).toBeVisible();
  await snap(page, "privacy-subject", info.project.name);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download everything (JSON)" }).click()]);
  expect(download.suggestedFilename()).toBe(`customer-${customer.id}.json`);
  const exported = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(exported.profile).toMatchObject({ id: customer.id, email: customer.email, loyaltyId: customer.loyalty_id });
  expect(exported.sourceRecords.length).toBeGreaterThan(0);
  expect(exported.orders.length).toBe(queryDatabase<{ n: number }>("select count(*) as n from orders where profile_id = ?", customer.id)[0].n);

  // The button waits for the customer's name to be typed.
  const erase = page.getByRole("button", { name: "Erase customer" });
  await expect(erase).toBeDisabled();
  await page.getByLabel(/to confirm/).fill(name.toUpperCase().slice(0, -1));
  await expect(erase).toBeDisabled();
  await page.getByLabel(/to confirm/).fill(name);
  await erase.click();
  await expect(page.getByText(/Erased on /)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Erased customer", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Erase customer" })).toHaveCount(0);
  await snap(page, "privacy-erased", info.project.name);

  // Audited with who, when, which profile and how much; nothing about the person.
  const [audit] = queryDatabase<{ detail: string; profile_id: number }>(
    "select detail, profile_id from audit_log where action = 'customer.erase' and profile_id = ?",
    customer.id,
  );
  expect(audit.profile_id).toBe(customer.id);
  for (const value of [customer.email, customer.phone, customer.loyalty_id, customer.first_name, customer.last_name]) expect(audit.detail).not.toContain(value);
  expect(JSON.parse(audit.detail)).toMatchObject({ ordersKept: exported.orders.length });

  // Nobody finds them again: not head office here, not an associate at the counter.
  for (const query of [customer.email, customer.loyalty_id]) {
    await page.getByRole("searchbox", { name: "Loyalty ID, phone, email, name or #profile ID" }).fill(query);
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page.getByText(/Nobody found for/)).toBeVisible();
  }
  const counter = await browser.newPage({ baseURL: info.project.use.baseURL });
  await signIn(counter, "associate");
  await lookUp(counter, customer.loyalty_id);
  await expect(counter.getByText(/No customer found/)).toBeVisible();
  await counter.close();

  // They come back and ask to be known by their email again: head office allows that one.
  const returning = page.getByRole("region", { name: "An erased customer comes back" });
  await returning.getByLabel("Email, phone number or loyalty ID").fill(customer.email.toUpperCase());
  await returning.getByRole("button", { name: "Allow again" }).click();
  await expect(returning.getByRole("status")).toHaveText(`Sources may load records with ${customer.email.toLowerCase()} again.`);
  await returning.getByLabel("Email, phone number or loyalty ID").fill("Jo Bloggs");
  await returning.getByRole("button", { name: "Allow again" }).click();
  await expect(returning.getByText(/not a name/)).toBeVisible();
  await snap(page, "privacy-allow-again", info.project.name);
  expect(queryDatabase<{ n: number }>("select count(*) as n from audit_log where action = 'privacy.lift_suppression'")[0].n).toBeGreaterThan(0);
});

for (const who of ["associate", "manager"] as const) {
  test(`a ${who} gets 403 on the privacy page and its export`, async ({ page }) => {
    await signIn(page, who);
    expect((await page.goto("/hq/privacy"))?.status()).toBe(403);
    const res = await page.request.get("/api/privacy/export/1");
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
  });
}
