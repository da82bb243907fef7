/**
 * What the assistant feels, for `npm run bench`: in Chromium at 1024×768, signed in as an associate,
 * type a phone number or email the way a customer says it, press Enter, and stop the clock when the
 * profile's name and the first order of its purchase history are on screen (and, apart, when its
 * suggestions are, which the page asks for once it is on screen). Each customer is one
 * the run has not opened before. Timed in the driver, so the driver's own overhead is included,
 * as in the bare Next.js floor (scripts/bench-floor) it is compared with, timed by this same code.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@/e2e/chromium";

export type SpokenCustomer = { typed: string; name: string };

/**
 * Per customer (ms from Enter): the first bytes of the response carrying the profile's payload, as
 * the page's Resource Timing saw them; name + purchases on screen, as the driver saw it; the
 * suggestions on screen (cards, or the word that there are none), where the app has them; and,
 * timed inside the page, the frame that first holds name + purchases (`visible` minus it is what
 * the driver adds).
 */
export type FeltTiming = { received: number; visible: number; suggested?: number; painted: number };

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
  (window as unknown as { __received?: (inLookup: boolean) => number | null }).__received = (inLookup) => {
    // The lookup posts to the page it was typed on; a redirect brings the profile back in that same
    // response, a navigation fetches it after (an entry appears once its response has ended).
    const fetched = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter(
      (e) => e.initiatorType === "fetch" && e.startTime >= enter,
    );
    const profile = inLookup ? fetched.find((e) => e.name === location.origin + "/") : fetched.find((e) => new URL(e.name).searchParams.has("_rsc"));
    return profile ? profile.responseStart - enter : null;
  };
}

/** The profile's name and its first order line are in the page and rendered. */
function profileShows(name: string): boolean {
  const heading = document.querySelector("h1#customer-name");
  const order = document.querySelector("section[aria-labelledby=history-heading] ol > li");
  return heading?.textContent === name && heading.checkVisibility() && order !== null && order.checkVisibility();
}

/**
 * `login` and `suggestions` for the app; the floor has neither. `profileInLookup`: the lookup's own
 * response carries the profile (the app's redirect), rather than a navigation after it (the floor).
 */
export async function timeLookupToProfile(
  baseUrl: string,
  customers: SpokenCustomer[],
  { login, suggestions, profileInLookup }: { login?: { email: string; password: string }; suggestions: boolean; profileInLookup: boolean },
): Promise<FeltTiming[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    if (login) {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel("Work email").fill(login.email);
      await page.getByLabel("Password").fill(login.password);
      await page.getByRole("button", { name: "Sign in" }).click();
    } else await page.goto(`${baseUrl}/`);
    const box = page.getByRole("searchbox", { name: "Loyalty ID, phone number, email or name" });
    await box.waitFor();
    await page.addInitScript(markPainted);
    const samples: FeltTiming[] = [];
    for (const customer of customers) {
      await page.goto(`${baseUrl}/`);
      await box.fill(customer.typed);
      const started = performance.now();
      await box.press("Enter");
      // Checked in the page at every frame: Playwright's locator waits poll at 20, 50, 100, 100,
      // 500 ms steps and compute accessible names over the whole page on each poll, which put up
      // to 100 ms of the driver's own into the figure, more on a larger page.
      await page.waitForFunction(profileShows, customer.name, { polling: "raf" });
      const visible = performance.now() - started;
      const painted = await page
        .waitForFunction(() => {
          const at = (window as unknown as { __painted?: number }).__painted;
          return at !== undefined && at > 0 && at;
        })
        .then((h) => h.jsonValue() as Promise<number>);
      // The profile streams, so its first bytes, not the end of its response, are what the page can show.
      const received = await page
        .waitForFunction((inLookup) => (window as unknown as { __received: (inLookup: boolean) => number | null }).__received(inLookup), profileInLookup)
        .then((h) => h.jsonValue() as Promise<number>);
      const sample: FeltTiming = { received, visible, painted };
      if (suggestions) {
        await page.getByRole("heading", { level: 2, name: "Goes with what you bought" }).waitFor();
        await page.getByText("Finding suggestions…").waitFor({ state: "detached" });
        sample.suggested = performance.now() - started;
      }
      samples.push(sample);
    }
    return samples;
  } finally {
    await browser.close();
  }
}
