import { type Locator, type Page, expect, test } from "@playwright/test";
import { inTransaction, openDatabase } from "@/db/client";
import { createIngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { ingestOrder } from "@/lib/ingest/orders";
import { E2E_DATABASE, queryDatabase, signIn, snap, writeDatabase } from "./helpers";

/** Server renders on the shared two-core machine can take several seconds. */
const NAVIGATION = 30_000;
test.describe.configure({ timeout: 120_000 });

const count = (sql: string, ...params: unknown[]) => queryDatabase<{ n: number }>(sql, ...params)[0].n;

/**
 * Sends the store a London customer's till record and her web account with her surname mistyped, as
 * the sources would, so the match model itself queues them (likely, not sure): each test reviews a
 * pair of its own, whatever the demo chain's own queue holds.
 */
function queueLondonNearDuplicate(): void {
  const tag = [...Date.now().toString(36)].map((c) => String.fromCharCode(97 + (c.charCodeAt(0) % 26))).join("");
  const [surname, typo] = [`Fairweather${tag}`, `Fairwaether${tag}`];
  const db = openDatabase(E2E_DATABASE);
  try {
    const ctx = createIngestContext(db);
    const sku = queryDatabase<{ sku: string }>("select sku from products order by id limit 1")[0].sku;
    inTransaction(db, () => {
      ingestCustomerRecord(ctx, { source: "pos", sourceCustomerId: `NEAR-${tag}`, firstName: "Grace", lastName: surname, postcode: "SW4 0LG" });
      ingestCustomerRecord(ctx, {
        source: "ecom",
        sourceCustomerId: `NEAR-${tag}`,
        firstName: "Grace",
        lastName: typo,
        postcode: "SW4 0LG",
        email: `m.${tag}@example.com`,
      });
      for (const source of ["pos", "ecom"])
        ingestOrder(ctx, {
          source,
          externalId: `NEAR-${tag}-${source}`,
          sourceCustomerId: `NEAR-${tag}`,
          channel: "store",
          storeCode: "LDN",
          placedAt: Date.now(),
          lines: [{ sku, quantity: 1, unitPrice: 2500 }],
        });
    });
  } finally {
    db.$client.close();
  }
}

/** A confirmation step's two buttons, its action and Cancel, each at least 44 px either way for a finger. */
async function expectConfirmButtons(step: Locator, confirm: string) {
  await expect(step.getByRole("button")).toHaveText([confirm, "Cancel"]);
  for (const button of await step.getByRole("button").all()) {
    const box = (await button.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
  }
}

/** Opens the best-scored open possible duplicate the manager sees and returns its review item ID. */
async function openFirstPossibleDuplicate(page: Page, screenshotAs?: string): Promise<number> {
  queueLondonNearDuplicate();
  await page.goto("/duplicates");
  await expect(page.getByRole("heading", { level: 1, name: "Possible duplicates" })).toBeVisible();
  if (screenshotAs) await snap(page, "duplicates-list", screenshotAs);
  const item = page.getByRole("list", { name: "Items to review" }).getByRole("listitem").filter({ hasText: "Possible duplicate" }).first();
  await item.getByRole("link", { name: /^Review / }).click();
  await expect(page).toHaveURL(/\/duplicates\/\d+$/, { timeout: NAVIGATION });
  await expect(page.getByRole("heading", { level: 1, name: "Possible duplicate" })).toBeVisible();
  return Number(/\/duplicates\/(\d+)$/.exec(page.url())![1]);
}

test.describe("possible duplicates, reviewed by a store manager", () => {
  test("merges a possible duplicate after its dry run, then unmerges it from the merge history", async ({ page }, info) => {
    await signIn(page, "manager");
    const itemId = await openFirstPossibleDuplicate(page, info.project.name);
    const [item] = queryDatabase<{ a: number; b: number; reason: string }>(
      "select profile_a as a, profile_b as b, reason from review_queue where id = ?",
      itemId,
    );
    await expect(page.getByText(item.reason, { exact: false }).first()).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Records from our systems/ })).toHaveCount(2);
    // The match model's waterfall: each comparison in plain words with its weight, and the probability.
    const evidence = page.getByRole("list", { name: "Evidence and its weight" });
    await expect(evidence).toContainText(/[+−]\d+\.\d/);
    await expect(evidence).toContainText(/likely the same person/);
    await expect(page.getByText("100% likely")).toHaveCount(0);
    await snap(page, "duplicates-side-by-side", info.project.name);

    const eventsBefore = count("select count(*) n from merge_events");
    await page.getByRole("button", { name: "Check merge…" }).click();
    const summary = page.getByLabel("What the merge would change");
    await expect(summary).toContainText(`would be merged into`);
    await expect(summary).toContainText(/Records from our systems \d+ \+ \d+ = \d+/);
    // Contact details masked, as on the side cards: enough to compare, not to copy.
    expect(await summary.textContent()).not.toMatch(/[a-z0-9._+-]@|\+44\d{10}/i);
    expect(count("select count(*) n from merge_events")).toBe(eventsBefore);
    await snap(page, "duplicates-dry-run", info.project.name);

    // Another item names the customer about to be merged away (queued before the merge).
    const [third] = queryDatabase<{ id: number }>(
      `select o.profile_id as id from orders o join stores s on s.id = o.store_id join profiles p on p.id = o.profile_id
        where s.code = 'LDN' and p.merged_into is null and p.id not in (?, ?) order by o.profile_id limit 1`,
      item.a,
      item.b,
    );
    writeDatabase(
      "insert into review_queue (kind, profile_a, profile_b, reason, score, status, created_at) values ('possible_duplicate', ?, ?, 'queued before the merge', 0.7, 'open', ?)",
      Math.max(item.a, item.b),
      third.id,
      Date.now(),
    );
    const [overtakenItem] = queryDatabase<{ id: number }>("select max(id) as id from review_queue");

    await page.getByRole("button", { name: "Confirm merge" }).click();
    await expect(page).toHaveURL(new RegExp(`/customers/${Math.min(item.a, item.b)}$`), { timeout: NAVIGATION });
    const history = page.getByRole("region", { name: "Merge history" });
    await expect(history).toContainText(`Customer ${Math.max(item.a, item.b)} merged in`);
    // The merge keeps the weights the reviewer saw.
    const entry = history.getByRole("listitem").filter({ hasText: `Customer ${Math.max(item.a, item.b)} merged in` });
    await entry.getByText("Why it was merged").click();
    await expect(entry.getByRole("list", { name: "Evidence and its weight" })).toContainText(/likely the same person/);
    expect(count("select count(*) n from review_queue where id = ? and status = 'merged'", itemId)).toBe(1);
    expect(count("select count(*) n from audit_log where action = 'identity.merge' and detail ->> 'reviewItemId' = ?", itemId)).toBe(1);
    await snap(page, "duplicates-merged-profile", info.project.name);

    // That item is overtaken: it says so, and offers no decision on a customer who is no longer there.
    await page.goto(`/duplicates/${overtakenItem.id}`);
    await expect(page.getByRole("status").filter({ hasText: "Overtaken" })).toContainText(
      `customer ${Math.max(item.a, item.b)} was merged into customer ${Math.min(item.a, item.b)}`,
    );
    await expect(page.getByRole("button", { name: /^Not the same person/ })).toHaveCount(0);
    await page.goto(`/customers/${Math.min(item.a, item.b)}`);
    await expect(history).toContainText(`Customer ${Math.max(item.a, item.b)} merged in`, { timeout: NAVIGATION });

    const absorbed = Math.max(item.a, item.b);
    const stillMerged = () => count("select count(*) n from profiles where id = ? and merged_into is not null", absorbed);
    // One tap only asks: what the unmerge does, then its own button and Cancel; nothing changes yet.
    const unmerge = history.getByRole("button", { name: new RegExp(`^Unmerge customer ${absorbed}`) });
    await unmerge.click();
    const confirm = history.getByRole("group", { name: `Unmerge customer ${absorbed}?` });
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText(`Customer ${absorbed} gets their own profile back`);
    await expect(confirm).toBeFocused();
    await expectConfirmButtons(confirm, "Confirm unmerge");
    await snap(page, "duplicates-unmerge-confirm", info.project.name);
    expect(stillMerged()).toBe(1);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(unmerge).toBeFocused();
    expect(stillMerged()).toBe(1);
    // By keyboard: Enter asks, Escape cancels and gives the focus back.
    await unmerge.press("Enter");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(confirm).toHaveCount(0);
    await expect(unmerge).toBeFocused();
    expect(stillMerged()).toBe(1);

    await unmerge.click();
    await confirm.getByRole("button", { name: "Confirm unmerge" }).click();
    await expect(history.getByRole("status")).toHaveText(`Unmerged: customer ${absorbed} has their own profile again.`);
    expect(count("select count(*) n from profiles where id = ? and merged_into is null", absorbed)).toBe(1);
    expect(count("select count(*) n from audit_log where action = 'identity.unmerge' and profile_id = ?", Math.min(item.a, item.b))).toBeGreaterThanOrEqual(1);
    await expect(history.getByRole("button", { name: /^Unmerge/ })).toHaveCount(0);
    // The item says what became of the pair since.
    await page.goto(`/duplicates/${itemId}`);
    await expect(page.getByRole("status").filter({ hasText: "Already decided" })).toHaveText("Already decided: merged, then unmerged: the two are kept apart.");
  });

  test("not the same person, once confirmed: the item leaves the list and the pair is remembered", async ({ page }, info) => {
    await signIn(page, "manager");
    const itemId = await openFirstPossibleDuplicate(page);
    const stillOpen = () => count("select count(*) n from review_queue where id = ? and status = 'open'", itemId);
    // One tap only asks, as "Check merge…" does: nothing is decided until it is confirmed.
    const notSame = page.getByRole("button", { name: /^Not the same person/ });
    await notSame.click();
    const confirm = page.getByRole("group", { name: "Not the same person?" });
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText("never merged automatically from now on");
    await expect(confirm).toBeFocused();
    await expectConfirmButtons(confirm, "Confirm: not the same person");
    await snap(page, "duplicates-not-same-confirm", info.project.name);
    await expect(page).toHaveURL(new RegExp(`/duplicates/${itemId}$`));
    expect(stillOpen()).toBe(1);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(notSame).toBeFocused();
    await expect(page.getByRole("button", { name: "Check merge…" })).toBeVisible();
    expect(stillOpen()).toBe(1);

    await notSame.click();
    await confirm.getByRole("button", { name: "Confirm: not the same person" }).click();
    await expect(page).toHaveURL(/\/duplicates$/, { timeout: NAVIGATION });
    await expect(page.locator(`a[href="/duplicates/${itemId}"]`)).toHaveCount(0);
    expect(count("select count(*) n from review_queue where id = ? and status = 'rejected' and decided_by is not null", itemId)).toBe(1);
    expect(count("select count(*) n from audit_log where action = 'identity.not_same_person' and detail ->> 'reviewItemId' = ?", itemId)).toBe(1);
    // An already decided item cannot be decided again.
    await page.goto(`/duplicates/${itemId}`);
    await expect(page.getByRole("status")).toHaveText("Already decided: not the same person.");
  });

  test("a profile's history says why a record joined it, with the match model's weights", async ({ page }) => {
    const [joined] = queryDatabase<{ profileId: number; sourceCustomerId: string }>(
      "select c.profile_id as profileId, c.source_customer_id as sourceCustomerId from source_customers c join profiles p on p.id = c.profile_id where c.join_evidence is not null and p.merged_into is null order by c.id limit 1",
    );
    expect(joined).toBeDefined();
    await signIn(page, "hq");
    await page.goto(`/customers/${joined.profileId}`);
    const history = page.getByRole("region", { name: "Merge history" });
    await expect(history).toContainText(`record ${joined.sourceCustomerId} joined`, { timeout: NAVIGATION });
    await history.getByText("Why it joined").first().click();
    await expect(history.getByRole("list", { name: "Evidence and its weight" }).first()).toContainText(/[+−]\d+\.\d/);
  });

  test("records joined to the wrong person are split off to a new customer, who is kept apart", async ({ page }, info) => {
    // A generated customer (not one other tests read) of two records that the match model joined on
    // what they say, not on a shared email, phone or card: a namesake's record may join so.
    const [joined] = queryDatabase<{ profileId: number; recordId: number; sourceCustomerId: string }>(
      `select c.profile_id as profileId, c.id as recordId, c.source_customer_id as sourceCustomerId from source_customers c join profiles p on p.id = c.profile_id
        where c.join_evidence is not null and p.merged_into is null and p.id > 10 and not exists (select 1 from erasures e where e.profile_id = p.id)
          and (select count(*) from source_customers o where o.profile_id = p.id) = 2
          and not exists (select 1 from identifiers a join identifiers b on b.type = a.type and b.value = a.value and b.profile_id = p.id and b.source_record_id <> c.id
                           where a.source_record_id = c.id)
        order by c.id desc limit 1`,
    );
    expect(joined).toBeDefined();
    const orders = count("select count(*) n from orders where source_record_id = ?", joined.recordId);
    await signIn(page, "hq");
    await page.goto(`/customers/${joined.profileId}`);
    const history = page.getByRole("region", { name: "Merge history" });
    await expect(history).toContainText(`record ${joined.sourceCustomerId} joined`, { timeout: NAVIGATION });

    await history.getByRole("button", { name: "Split off records…" }).click();
    const form = history.getByRole("form", { name: "Split records off to a new customer" });
    const move = form.getByRole("button", { name: /^Move \d+ records? to a new customer$/ });
    await expect(move).toBeDisabled();
    // Ticking every record is refused before it is sent: someone must stay.
    for (const box of await form.getByRole("checkbox").all()) await box.check();
    await expect(form).toContainText("Leave at least one record with this customer.");
    await expect(move).toBeDisabled();
    await form.getByRole("button", { name: "Cancel" }).click();
    await expect(form).toHaveCount(0);

    // A second tab opens the same split before the first one sends it.
    const stale = await page.context().newPage();
    await stale.goto(`/customers/${joined.profileId}`);
    const staleHistory = stale.getByRole("region", { name: "Merge history" });
    const splitOwnLine = new RegExp(`^Not this customer: split off .* record ${joined.sourceCustomerId}$`);
    await staleHistory.getByRole("button", { name: splitOwnLine }).click({ timeout: NAVIGATION });

    // From the record's own line, it comes ticked alone: nothing it holds is the other record's.
    await history.getByRole("button", { name: splitOwnLine }).click();
    await expect(form.getByRole("checkbox", { checked: true })).toHaveCount(1);
    await expect(form.locator("label", { hasText: joined.sourceCustomerId }).getByRole("checkbox")).toBeChecked();
    await snap(page, "duplicates-split-form", info.project.name);
    await form.getByRole("button", { name: "Move 1 record to a new customer" }).click();

    const done = history.getByRole("status");
    await expect(done).toContainText("Split off:");
    const newId = Number(/customer (\d+)/.exec((await done.textContent())!)![1]);
    expect(newId).toBeGreaterThan(joined.profileId);
    expect(count("select count(*) n from source_customers where id = ? and profile_id = ?", joined.recordId, newId)).toBe(1);
    expect(count("select count(*) n from orders where profile_id = ?", newId)).toBeGreaterThanOrEqual(orders);
    expect(count("select count(*) n from source_customers where profile_id = ?", joined.profileId)).toBe(1);
    expect(count("select count(*) n from review_queue where status = 'rejected' and profile_a = ? and profile_b = ?", joined.profileId, newId)).toBe(1);
    // This split's own entry: the fixture's customers of earlier runs may have been split off the same profile before.
    expect(
      count("select count(*) n from audit_log where action = 'identity.split' and profile_id = ? and detail ->> 'newProfileId' = ?", joined.profileId, newId),
    ).toBe(1);

    // The second tab still shows both records: its split is refused, and says why, not "at least one must stay".
    await stale.getByRole("button", { name: "Move 1 record to a new customer" }).click();
    await expect(stale.getByRole("form", { name: "Split records off to a new customer" })).toContainText("have changed since this page loaded");
    expect(count("select count(*) n from source_customers where profile_id = ?", joined.profileId)).toBe(1);
    await stale.close();

    // The page is redrawn from the server: the record is gone from this customer's history, and the split is there.
    await expect(history).toContainText(`Records split off to customer ${newId}`);
    await expect(history).not.toContainText(`record ${joined.sourceCustomerId} joined`);
    await done.getByRole("link", { name: `customer ${newId}` }).click();
    await expect(page).toHaveURL(new RegExp(`/customers/${newId}$`), { timeout: NAVIGATION });
    await expect(page.getByRole("region", { name: "Merge history" })).toContainText(`Split off from customer ${joined.profileId}`, { timeout: NAVIGATION });
  });

  test("associates do not see the review queue", async ({ page }) => {
    await signIn(page, "associate");
    await expect(page.getByRole("link", { name: "Duplicates" })).toHaveCount(0);
    const response = await page.goto("/duplicates");
    expect(response?.status()).toBeGreaterThanOrEqual(400);
  });
});
