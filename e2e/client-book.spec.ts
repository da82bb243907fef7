import { type Page, expect, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { storeToday } from "@/lib/days";
import { STAFF, queryDatabase, signIn, snap, writeDatabase } from "./helpers";

const profileByEmail = (email: string) =>
  queryDatabase<{ id: number }>("select profile_id as id from identifiers where type = 'email' and value = ? limit 1", email)[0].id;
const anna = { name: DEMO_CUSTOMERS.anna.name, id: () => profileByEmail(DEMO_CUSTOMERS.anna.email) };
const oliver = { name: DEMO_CUSTOMERS.oliver.name, id: () => profileByEmail(DEMO_CUSTOMERS.oliver.email) };
const TITLE = "New arrivals in her size";

/** Both viewports share one database: each test starts from customers nobody looks after, with no follow-ups. */
function clearBook(...profileIds: number[]) {
  for (const id of profileIds) {
    writeDatabase("delete from follow_ups where profile_id = ?", id);
    writeDatabase("delete from customer_assignments where profile_id = ?", id);
  }
}

async function signInAs(page: Page, email: string, password: string, name: string) {
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(name)).toBeVisible();
}

test("a manager gives Anna to the London associate with a follow-up; the associate finds her and marks it done", async ({ page }, info) => {
  test.setTimeout(120_000);
  const annaId = anna.id();
  clearBook(annaId);

  // Before she is in Sam's book, Sam cannot open her profile without looking her up.
  await signIn(page, "associate");
  await page.goto(`/customers/${annaId}`);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

  await signInAs(page, STAFF.manager.email, STAFF.manager.password, STAFF.manager.name);
  await page.goto(`/customers/${annaId}`);
  const lookedAfter = page.getByRole("region", { name: "Looked after by" });
  await lookedAfter.getByLabel("Associate at London Regent St").selectOption({ label: "Sam Patel" });
  await lookedAfter.getByRole("button", { name: "Assign" }).click();
  await expect(lookedAfter.getByTestId("assignee")).toHaveText("London Regent St: Sam Patel");
  expect(queryDatabase("select 1 from audit_log where action = 'book.assign' and profile_id = ?", annaId).length).toBeGreaterThan(0);

  const followUps = page.getByRole("region", { name: "Follow-ups" });
  // She agreed to email but not to texts: a text is refused, and the panel says why.
  await followUps.getByRole("button", { name: "Add" }).click();
  await followUps.getByLabel("What to follow up").fill(TITLE);
  // Due today: before anything other tests left in Sam's list, so among the few his home page shows.
  await followUps.getByLabel("Due").fill(storeToday());
  await followUps.getByLabel("How").selectOption({ label: "Text message" });
  await followUps.getByRole("button", { name: "Save follow-up" }).click();
  await expect(followUps.getByRole("alert")).toHaveText(`${anna.name} has not agreed to contact by text message.`);
  await followUps.getByLabel("How").selectOption({ label: "Email" });
  await followUps.getByRole("button", { name: "Save follow-up" }).click();
  await expect(followUps.getByTestId("follow-up")).toHaveCount(1);
  await expect(followUps.getByTestId("follow-up")).toContainText(TITLE);
  await expect(followUps.getByTestId("follow-up")).toContainText("Sam Patel");
  await snap(page, "book-profile-manager", info.project.name);

  await signInAs(page, STAFF.associate.email, STAFF.associate.password, STAFF.associate.name);
  // The page Sam starts from shows what there is to do, and takes him to the customer.
  const toDo = page.getByRole("region", { name: "Your follow-ups" });
  await expect(toDo.getByRole("listitem").filter({ hasText: TITLE })).toContainText(`${anna.name}${TITLE} · EmailDue today`);
  await expect(toDo.getByRole("link", { name: /^All \d+ to do/ })).toHaveAttribute("href", "/follow-ups");
  await snap(page, "book-home-to-do", info.project.name);
  await page.getByRole("link", { name: "My customers" }).click();
  await expect(page.getByRole("heading", { name: "My customers" })).toBeVisible();
  // Spend in the associate's store beside spend everywhere, as the database holds them.
  const [spend] = queryDatabase<{ here: number; everywhere: number }>(
    "select s.spend as here, p.lifetime_spend as everywhere from profiles p join store_customer_stats s on s.profile_id = p.id join stores st on st.id = s.store_id where p.id = ? and st.code = 'LDN'",
    anna.id(),
  );
  const pounds = (pence: number) => `£${(pence / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 })}`;
  expect(spend.here).toBeLessThan(spend.everywhere);
  const row = page.getByRole("row").filter({ hasText: anna.name });
  await expect(row.getByRole("cell").nth(2)).toHaveText(pounds(spend.here));
  await expect(row.getByRole("cell").nth(3)).toHaveText(pounds(spend.everywhere));
  await snap(page, "book-my-customers", info.project.name);
  await page.getByRole("link", { name: anna.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: anna.name })).toBeVisible();
  expect(
    queryDatabase<{ detail: string }>("select detail from audit_log where action = 'profile.view' and profile_id = ? order by id desc limit 1", annaId)[0]
      .detail,
  ).toContain('"via":"book"');

  await page.getByRole("link", { name: /^Follow-ups/ }).click();
  await expect(page.getByRole("heading", { name: "My follow-ups" })).toBeVisible();
  const item = page.getByTestId("follow-up").filter({ hasText: anna.name });
  await expect(item).toContainText(TITLE);
  await snap(page, "book-my-follow-ups", info.project.name);
  await item.getByRole("button", { name: "Mark done" }).click();
  await expect(item).toHaveCount(0);
  await page.getByRole("link", { name: "Find", exact: true }).click();
  await expect(page.getByRole("region", { name: "Your follow-ups" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your follow-ups" }).getByText(TITLE)).toHaveCount(0);
  const [done] = queryDatabase<{ id: number; status: string }>("select id, status from follow_ups where profile_id = ?", annaId);
  expect(done.status).toBe("done");
  expect(queryDatabase("select 1 from audit_log where action = 'followup.done' and json_extract(detail, '$.followUpId') = ?", done.id)).toHaveLength(1);
});

test("in the client book a manager gives follow-ups in bulk: consented customers get one, the rest are listed with the reason", async ({ page }, info) => {
  test.setTimeout(60_000);
  const [annaId, oliverId] = [anna.id(), oliver.id()];
  clearBook(annaId, oliverId);
  await signInAs(page, STAFF.manager.email, STAFF.manager.password, STAFF.manager.name);
  const sam = queryDatabase<{ id: number; store: number }>("select id, home_store_id as store from staff where email = 'associate@demo.clientele'")[0];
  for (const id of [annaId, oliverId])
    writeDatabase("insert into customer_assignments (store_id, profile_id, staff_id, assigned_at) values (?, ?, ?, ?)", sam.store, id, sam.id, Date.now());

  await page.getByRole("link", { name: "Client book", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sam Patel’s customers" })).toBeVisible();
  await page.getByLabel("Select all shown").check();
  const bulk = page.getByRole("region", { name: "Selected customers" });
  await expect(bulk).toContainText("2 selected");
  await bulk.getByRole("button", { name: "Follow-up", exact: true }).click();
  await bulk.getByLabel("What to follow up").fill("Winter coats are in");
  await bulk.getByLabel("How").selectOption({ label: "Text message" });
  await bulk.getByRole("combobox", { name: "For", exact: true }).selectOption({ label: "Sam Patel" });
  await bulk.getByRole("button", { name: "Create 2 follow-ups" }).click();
  const results = bulk.getByRole("status", { name: "Follow-up results" });
  await expect(results).toContainText("1 of 2 done, 1 refused.");
  await expect(results.getByRole("listitem").filter({ hasText: oliver.name })).toContainText("Created");
  await expect(results.getByRole("listitem").filter({ hasText: anna.name })).toContainText(`Refused — ${anna.name} has not agreed to contact by text message.`);
  await snap(page, "book-bulk-results", info.project.name);
  expect(queryDatabase("select profile_id from follow_ups where title = 'Winter coats are in'")).toEqual([{ profile_id: oliverId }]);
  await expect(page.getByRole("row").filter({ hasText: oliver.name }).getByRole("cell").last()).toHaveText("1");

  await page.getByRole("link", { name: "Store follow-ups" }).click();
  const samsGroup = page.getByRole("region", { name: "Sam Patel" });
  await expect(samsGroup.getByTestId("follow-up").filter({ hasText: oliver.name })).toContainText("Winter coats are in");
  await snap(page, "book-store-follow-ups", info.project.name);
});

test("the Leeds manager cannot put London's customers in a Leeds book", async ({ page }, info) => {
  test.setTimeout(60_000);
  const annaId = anna.id();
  clearBook(annaId);
  await signInAs(page, "manager.leeds@demo.clientele", "demo-manager", "Alex Morgan");
  // Anna has never bought in Leeds: her profile is not the Leeds manager's to open, let alone assign.
  await page.goto(`/customers/${annaId}`);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Looked after by" })).toHaveCount(0);
  await snap(page, "book-leeds-refused", info.project.name);
  expect(queryDatabase("select 1 from customer_assignments where profile_id = ?", annaId)).toEqual([]);
});
