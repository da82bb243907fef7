import AxeBuilder from "@axe-core/playwright";
import { type Page, expect } from "@playwright/test";
import Database from "better-sqlite3";

export const E2E_DATABASE = "data/e2e.db";

export const STAFF = {
  associate: { email: "associate@demo.clientele", password: "demo-associate", name: "Sam Patel", role: "Sales associate" },
  manager: { email: "manager@demo.clientele", password: "demo-manager", name: "Morgan Lee", role: "Store manager" },
  hq: { email: "hq@demo.clientele", password: "demo-hq", name: "Harper Quinn", role: "Head office" },
} as const;

export async function signIn(page: Page, who: keyof typeof STAFF) {
  const staff = STAFF[who];
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(staff.name)).toBeVisible();
}

export async function lookUp(page: Page, query: string) {
  const box = page.getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" });
  await box.fill(query);
  await box.press("Enter");
}

/** Reads the server's database file directly: the audit trail is a fact in the database, not in the page. */
export function queryDatabase<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(E2E_DATABASE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export async function snap(page: Page, name: string, projectName: string) {
  await page.screenshot({ path: `test-results/screens/${projectName}-${name}.png`, fullPage: true });
}

/** For tests that set the stage (a short lock timeout) or tidy up after themselves. */
export function writeDatabase(sql: string, ...params: unknown[]): void {
  const db = new Database(E2E_DATABASE, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Everything a finger can press on the page is at least 44 px tall and wide. */
export async function expectTouchTargets(page: Page) {
  const small = await page
    .locator("main button:visible, main a:visible, main input:visible, main select:visible, header button:visible, header a:visible")
    .evaluateAll((els) =>
      els
        .filter((el) => !(el instanceof HTMLInputElement && ["checkbox", "radio"].includes(el.type) && el.closest("label")))
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.height < 44 || box.width < 44)
        .map(({ el }) => el.outerHTML.slice(0, 80)),
    );
  expect(small).toEqual([]);
}

/** A manager's and head office's own pages sit under "More" in the header on a tablet. */
export async function openFromNav(page: Page, name: string) {
  const nav = page.getByRole("navigation", { name: "Main" });
  const link = nav.getByRole("link", { name, exact: true });
  if (!(await link.isVisible())) await nav.locator("summary").click();
  await link.click();
}
