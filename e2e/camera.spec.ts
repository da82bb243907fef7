import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import QRCode from "qrcode";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";
import { signIn } from "./helpers";

/** A fake camera that films Anna's loyalty card QR code: Chromium plays a Y4M file as the webcam. */
function writeQrVideo(text: string, file: string) {
  const [width, height, scale] = [640, 480, 10];
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const luma = Buffer.alloc(width * height, 255);
  const offset = (n: number) => Math.floor((n - modules.size * scale) / 2);
  for (let y = 0; y < modules.size * scale; y++) {
    for (let x = 0; x < modules.size * scale; x++) {
      if (modules.get(Math.floor(y / scale), Math.floor(x / scale))) luma[(y + offset(height)) * width + x + offset(width)] = 0;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
}

const video = path.resolve("test-results/fake-camera/anna-card.y4m");
writeQrVideo(DEMO_CUSTOMERS.anna.loyaltyId, video);

test.use({
  permissions: ["camera"],
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
  },
});

test("the tablet camera reads a loyalty card and opens the customer", async ({ page }) => {
  await signIn(page, "associate");
  await page.getByRole("button", { name: "Scan card" }).click();
  const customer = page.getByRole("heading", { level: 1, name: DEMO_CUSTOMERS.anna.name });
  // The scanner's dialog opens; a card read at once may close it before it is looked at.
  await expect(page.getByRole("dialog", { name: /Hold the card/ }).or(customer)).toBeVisible();
  await expect(customer).toBeVisible({ timeout: 15_000 });
});
