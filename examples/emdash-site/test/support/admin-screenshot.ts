import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { chromium } from "playwright-core";

/** Debian's Chromium, which `.ci/run` installs when it is missing. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Opens EmDash's admin at `path` in headless Chromium, authenticated by an API token sent on every
 * request, waits until `text` is shown, saves a full-page screenshot to `file` and returns the
 * page's visible text.
 */
export async function screenshotAdminPage(input: {
  url: string;
  token: string;
  text: string;
  file: string;
}): Promise<string> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${input.token}` },
      viewport: { width: 1280, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(input.url, { waitUntil: "domcontentloaded" });
    await page.getByText(input.text, { exact: false }).first().waitFor({ timeout: 60_000 });
    // A new admin user gets EmDash's welcome dialog over the page; close it like a user would.
    const welcome = page.getByRole("button", { name: "Get Started" });
    if (await welcome.isVisible()) {
      await welcome.click();
      await welcome.waitFor({ state: "hidden" });
    }
    mkdirSync(dirname(input.file), { recursive: true });
    await page.screenshot({ path: input.file, fullPage: true });
    // biome-ignore lint/performance/useDomNodeTextContent: the test checks what a user sees.
    return await page.locator("body").innerText();
  } finally {
    await browser.close();
  }
}
