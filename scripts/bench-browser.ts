/**
 * What the assistant feels, for `npm run bench`: in Chromium at 1024×768, signed in as an associate,
 * type a phone number or email the way a customer says it, press Enter, and stop the clock when the
 * profile's name and the first order of its purchase history are on screen (and, apart, when its
 * suggestions are, which the page asks for once it is on screen). Each customer is one
 * the run has not opened before. Timed in the driver, so the driver's own overhead is included,
 * as in the bare Next.js floor it is compared with.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@/e2e/chromium";

export type SpokenCustomer = { typed: string; name: string };

/**
 * Per customer: Enter to the lookup's answer, to the first bytes of the profile, to name + purchases
 * on screen, and to the suggestions on screen (cards, or the word that there are none) (ms); and,
 * timed inside the page, Enter to the frame that first holds name + purchases, which leaves out the
 * driver's polling (`visible` minus it is what the driver adds).
 */
export type FeltTiming = { answered: number; received: number; visible: number; suggested: number; painted: number };

/** In the page: from Enter's keydown to the first frame after the profile's name and first order are in the document. */
function markPainted() {
  const w = window as unknown as { __painted?: number };
  let enter = 0;
  const observer = new MutationObserver(() => {
    if (!enter || w.__painted !== undefined) return;
    if (!document.querySelector("h1#customer-name") || !document.querySelector("section[aria-labelledby=history-heading] ol > li")) return;
    w.__painted = -1;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (w.__painted = performance.now() - enter);
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { subtree: true, childList: true });
  document.addEventListener("keydown", (e) => e.key === "Enter" && ((enter = performance.now()), (w.__painted = undefined)), true);
}

export async function timeLookupToProfile(baseUrl: string, login: { email: string; password: string }, customers: SpokenCustomer[]): Promise<FeltTiming[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Work email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const box = page.getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" });
    await box.waitFor();
    await page.addInitScript(markPainted);
    const samples: FeltTiming[] = [];
    let started = 0;
    let answered = 0;
    let received = 0;
    // The profile streams, so its first bytes, not the end of its response, are what the page can show.
    page.on("requestfinished", (r) => {
      if (r.method() === "POST" && r.headers()["next-action"]) answered ||= performance.now() - started;
    });
    page.on("response", (r) => {
      if (r.request().method() === "GET" && r.url().includes("/customers/")) received ||= performance.now() - started;
    });
    for (const customer of customers) {
      await page.goto(`${baseUrl}/`);
      await box.fill(customer.typed);
      answered = received = 0;
      started = performance.now();
      await box.press("Enter");
      await page.getByRole("heading", { level: 1, name: customer.name }).waitFor();
      await page.locator("section[aria-labelledby=history-heading] ol > li").first().waitFor();
      const visible = performance.now() - started;
      const painted = await page
        .waitForFunction(() => {
          const at = (window as unknown as { __painted?: number }).__painted;
          return at !== undefined && at > 0 && at;
        })
        .then((h) => h.jsonValue() as Promise<number>);
      await page.getByRole("heading", { level: 2, name: "Goes with what you bought" }).waitFor();
      await page.getByText("Finding suggestions…").waitFor({ state: "detached" });
      samples.push({ answered, received, visible, suggested: performance.now() - started, painted });
    }
    return samples;
  } finally {
    await browser.close();
  }
}
