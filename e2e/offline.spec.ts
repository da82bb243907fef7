import { type Page, expect, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { expectNoAxeViolations, lookUp, queryDatabase, signIn, snap } from "./helpers";

const james = DEMO_CUSTOMERS.james;

/** The app-shell worker controls the page once it has installed and claimed it. */
async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });
}

test.describe("the Wi-Fi drops", () => {
  test.afterEach(async ({ context }) => {
    await context.setOffline(false);
  });

  test("the customer stays on screen; notes, sizes and tags wait and are sent in order; consent needs the network", async ({ page, context }, info) => {
    await signIn(page, "associate");
    await waitForServiceWorker(page);
    await lookUp(page, james.email);
    await expect(page.getByRole("heading", { level: 1, name: james.name })).toBeVisible();
    const [{ id: profileId }] = queryDatabase<{ id: number }>("select profile_id as id from identifiers where value = ? limit 1", james.email);
    const stamp = Date.now();
    const first = `Offline note one ${stamp}`;
    const second = `Offline note two ${stamp}`;
    const tag = `wifi${stamp % 100000}`;
    // The page asks for its suggestions once it is on screen: the drop comes after they are there.
    await expect(page.getByTestId("suggestion-card").first()).toBeVisible();

    await context.setOffline(true);
    await expect(page.getByRole("status").filter({ hasText: "Offline" })).toBeVisible();
    for (const body of [first, second]) {
      await page.getByLabel("New note").fill(body);
      await page.getByRole("button", { name: "Add note" }).click();
      await expect(page.getByTestId("queued-note").filter({ hasText: body })).toContainText("Will save when back online");
    }
    await page.getByLabel("Category").selectOption("Shoes");
    await page.getByLabel("Size", { exact: true }).fill("39");
    await page.getByRole("button", { name: "Save size" }).click();
    await expect(page.getByTestId("queued-sizes")).toHaveText("Shoes: 39: will save when back online");
    await page.getByLabel("New tag").fill(tag);
    await page.getByLabel("New tag").press("Enter");
    await expect(page.getByTestId("queued-tag")).toContainText(`${tag} · will save when back online`);
    const card = page.getByTestId("suggestion-card").first();
    const cardStyle = (await card.getAttribute("data-style"))!;
    await card.getByRole("button", { name: "Dismiss" }).click();
    await expect(card).toContainText("Will save when back online");
    await expect(page.getByTestId("outbox-waiting")).toHaveText("5 changes will save when back online; locking the tablet before then discards them.");
    expect(queryDatabase("select id from notes where body in (?, ?)", first, second)).toHaveLength(0);

    await expect(page.getByLabel("Email consent")).toBeDisabled();
    await expect(page.getByTestId("consent-offline")).toContainText("Changing consent needs the network, and is never saved later");

    await page.getByRole("link", { name: "Enrol" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Enrol needs the network" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: james.name })).toBeVisible();
    await expectNoAxeViolations(page);
    await snap(page, "offline-profile-queued", info.project.name);

    await context.setOffline(false);
    await expect(page.getByTestId("queued-note")).toHaveCount(0);
    await expect(page.getByTestId("note").filter({ hasText: first })).toBeVisible();
    await expect(page.getByTestId("note").filter({ hasText: second })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "39" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Tags" }).getByRole("button", { name: `Remove tag ${tag}` })).toBeVisible();
    await expect(page.getByLabel("Email consent")).toBeEnabled();
    const saved = queryDatabase<{ body: string }>("select body from notes where profile_id = ? and body in (?, ?) order by id", profileId, first, second);
    expect(saved.map((n) => n.body)).toEqual([first, second]);
    expect(queryDatabase("select tag from profile_tags where profile_id = ? and tag = ?", profileId, tag)).toHaveLength(1);
    expect(queryDatabase<{ size: string }>("select size from preferences where profile_id = ? and category = 'Shoes'", profileId)).toEqual([{ size: "39" }]);
    await expect(page.getByTestId("suggestion-card").filter({ hasText: "Will save when back online" })).toHaveCount(0);
    // By style, not name: two cards may share a product name.
    const [feedback] = queryDatabase<{ status: string }>(
      "select e.status from suggestion_events e join stores s on s.id = e.store_id where e.profile_id = ? and e.style = ? and s.code = 'LDN' order by e.id desc limit 1",
      profileId,
      cardStyle,
    );
    expect(feedback).toEqual({ status: "dismissed" });
  });

  test("a lookup offline says at once that it needs the network, and offers to search again when it is back", async ({ page, context }, info) => {
    await signIn(page, "associate");
    await context.setOffline(true);
    await lookUp(page, DEMO_CUSTOMERS.anna.email);
    const outcome = page.getByTestId("lookup-outcome");
    await expect(outcome).toContainText("Finding a customer needs the network, and the tablet is offline.");
    await expect(outcome.getByRole("button", { name: "Waiting for the network…" })).toBeDisabled();
    await expectNoAxeViolations(page);
    await snap(page, "offline-lookup", info.project.name);
    await context.setOffline(false);
    await outcome.getByRole("button", { name: "Search again" }).click();
    await expect(page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.anna.name })).toBeVisible();
  });

  test("a page opened offline is the app's offline page, which opens the page by itself when the network is back", async ({ page, context }, info) => {
    await signIn(page, "associate");
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.goto("/book");
    await expect(page.getByRole("heading", { name: "This page needs the network" })).toBeVisible();
    await expectNoAxeViolations(page);
    await snap(page, "offline-page", info.project.name);
    await context.setOffline(false);
    await expect(page.getByRole("heading", { name: "My customers" })).toBeVisible();
    // The worker keeps the app shell only: no page, and nothing about a customer, is in Cache Storage.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(
      cached.filter((path) => !path.startsWith("/_next/static/") && !path.startsWith("/icons/") && path !== "/favicon.ico" && path !== "/offline"),
    ).toEqual([]);
  });

  test("locking with changes still waiting discards them and says how many", async ({ page, context }, info) => {
    await signIn(page, "associate");
    await waitForServiceWorker(page);
    await lookUp(page, james.email);
    await expect(page.getByRole("heading", { level: 1, name: james.name })).toBeVisible();
    const body = `Never sent ${Date.now()}`;
    await context.setOffline(true);
    await expect(page.getByRole("status").filter({ hasText: "Offline" })).toBeVisible();
    await page.getByLabel("New note").fill(body);
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByTestId("queued-note")).toBeVisible();
    await page.getByRole("button", { name: "Lock" }).click();
    await expect(page.getByRole("heading", { name: "Tablet locked, no network" })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "1 change made while offline was not saved" })).toBeVisible();
    await expect(page.getByText(james.name)).toHaveCount(0);
    await snap(page, "offline-locked", info.project.name);
    await context.setOffline(false);
    await expect(page.getByRole("heading", { name: "Tablet locked", exact: true })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "1 change made while offline was not saved" })).toBeVisible();
    expect(queryDatabase("select id from notes where body = ?", body)).toHaveLength(0);
    await page.goto("/");
    await expect(page).toHaveURL(/\/lock$/);
  });
});
