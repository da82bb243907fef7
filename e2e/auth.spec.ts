import { expect, test } from "@playwright/test";
import { STAFF, signIn, snap } from "./helpers";

test.describe("sign-in and access", () => {
  test("signed-out visitors are sent to sign-in and get no data", async ({ page, request }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/customers/1");
    await expect(page).toHaveURL(/\/sign-in$/);
    const profile = await request.get("/customers/1", { maxRedirects: 0 });
    expect([303, 307, 308]).toContain(profile.status());
    expect(await profile.text()).not.toContain("Purchase history");
  });

  test("a server action called without a session answers unauthenticated, with no data", async ({ page, request }) => {
    // Learn the lookup action's ID the way a browser does: from a signed-in page's network traffic.
    await signIn(page, "associate");
    const actionId = await new Promise<string>((resolve) => {
      page.on("request", (r) => {
        const id = r.headers()["next-action"];
        if (id && r.postData()?.includes("query")) resolve(id);
      });
      void page
        .getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" })
        .fill("07412 345678")
        .then(() => page.keyboard.press("Enter"));
    });
    const anonymous = await request.post("/", {
      headers: { "next-action": actionId, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", cookie: "" },
      data: JSON.stringify([{ query: "07412 345678" }]),
    });
    const body = await anonymous.text();
    expect(body).toContain('"code":"unauthenticated"');
    expect(body).not.toContain("Kowalski");
  });

  test("a wrong password says so and keeps the email", async ({ page }, info) => {
    await page.goto("/sign-in");
    await page.getByLabel("Work email").fill(STAFF.associate.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That email and password do not match an active staff account.")).toBeVisible();
    await expect(page.getByLabel("Work email")).toHaveValue(STAFF.associate.email);
    await snap(page, "sign-in-error", info.project.name);
  });

  for (const who of ["associate", "manager", "hq"] as const) {
    test(`${who} signs in, sees the lookup, and signs out`, async ({ page }, info) => {
      await signIn(page, who);
      // The role under the name in the header (head office also has a "Head office" link in the nav).
      await expect(page.locator("header p").getByText(STAFF[who].role, { exact: false })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Find a customer" })).toBeVisible();
      await snap(page, `lookup-${who}`, info.project.name);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/sign-in$/);
      await page.goto("/");
      await expect(page).toHaveURL(/\/sign-in$/);
    });
  }
});
