import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const chromium = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "tablet-landscape", use: { ...devices["Desktop Chrome"], viewport: { width: 1024, height: 768 }, hasTouch: true, launchOptions: chromium } },
    { name: "tablet-portrait", use: { ...devices["Desktop Chrome"], viewport: { width: 768, height: 1024 }, hasTouch: true, launchOptions: chromium } },
  ],
  webServer: {
    // A fresh database every run: the start script migrates and seeds it before the server listens.
    command: `rm -f data/e2e.db data/e2e.db-wal data/e2e.db-shm && npm run build && DATABASE_PATH=data/e2e.db PORT=${PORT} npx tsx scripts/start.ts`,
    url: `http://127.0.0.1:${PORT}/sign-in`,
    timeout: 300_000,
    // Never test a server that happens to listen on the port (another checkout's, an old build):
    // E2E_REUSE_SERVER=1 is for running one spec against a server started by hand.
    reuseExistingServer: process.env.E2E_REUSE_SERVER === "1",
    stdout: "pipe",
  },
});
