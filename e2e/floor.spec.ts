import { type Page, expect, test } from "@playwright/test";
import { expectNoAxeViolations, signIn, snap } from "./helpers";

const PAGES = {
  associate: ["/", "/enrol", "/book", "/follow-ups"],
  manager: ["/customers/list", "/team", "/duplicates"],
  hq: ["/hq/staff", "/hq/stores", "/hq/sources", "/hq/identity", "/hq/audit", "/hq/rules", "/hq/rules/new", "/hq/suggestions", "/hq/api-keys", "/hq/privacy"],
} as const;

/** Nothing cut off at the right: the page never scrolls sideways (wide tables scroll in their own box). */
async function expectFitsWidth(page: Page) {
  const cut = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((el) => !el.closest("[data-scroll]") && el.getBoundingClientRect().right > width + 1 && el.getBoundingClientRect().width > 0)
      .slice(0, 3)
      .map((el) => `${el.tagName} ${el.textContent?.trim().slice(0, 40)}`);
  });
  expect(cut).toEqual([]);
}

test.describe("every page fits the tablet and passes axe", () => {
  for (const role of ["associate", "manager", "hq"] as const) {
    for (const path of PAGES[role]) {
      test(`${role}: ${path}`, async ({ page }, info) => {
        await signIn(page, role);
        await page.goto(path);
        await expect(page.locator("main h1").first()).toBeVisible();
        expect((await page.locator("header").boundingBox())!.height).toBeLessThan(70);
        await expectFitsWidth(page);
        await expectNoAxeViolations(page);
        await snap(page, `fit-${role}${path.replaceAll("/", "-")}`, info.project.name);
      });
    }
  }
});

test("the app has a favicon, icons and a manifest to pin it full screen", async ({ page, request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: "Clientele", start_url: "/", display: "fullscreen" });
  for (const { src } of manifest.icons) expect((await request.get(src)).status(), src).toBe(200);
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
});

test("enrolment warns as a placeholder email or phone is typed", async ({ page }, info) => {
  await signIn(page, "associate");
  await page.goto("/enrol");
  await page.getByRole("textbox", { name: "Email" }).fill("test@test.com");
  await expect(page.getByTestId("email-warning")).toContainText("placeholder");
  await page.getByRole("textbox", { name: "Phone" }).fill("07777 777777");
  await expect(page.getByTestId("phone-warning")).toContainText("placeholder");
  await expectNoAxeViolations(page);
  await snap(page, "enrol-placeholder", info.project.name);
  await page.getByRole("textbox", { name: "Email" }).fill("nadia.real@example.com");
  await expect(page.getByTestId("email-warning")).toHaveCount(0);
});
