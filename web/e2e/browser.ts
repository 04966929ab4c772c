import { existsSync } from "node:fs";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** Debian's Chromium (`apt-get install chromium`): no browser download is possible here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/**
 * One browser for a test file: launched before its tests, closed after them. Read inside tests, like
 * useTestDb: the browser exists only once beforeAll has run.
 */
export function useBrowser(): Pick<Browser, "newContext"> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    newContext(options) {
      if (!browser) throw new Error("useBrowser: the browser starts in beforeAll; use it inside tests");
      return browser.newContext(options);
    },
  };
}

/** How long a step may take on a busy shared machine; a wait ends as soon as the page gets there. */
export const PATIENCE = 45_000;

/** Waits until the locator shows the text (Playwright re-checks the live page until then). */
export async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: "visible", timeout: PATIENCE });
}

/**
 * Marks the page's window so a later check can prove it was never reloaded or replaced: a reload or a
 * navigation to another document makes a new window without the mark.
 */
export async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  const mark = `tavola-${Math.random()}`;
  // Runs in the page, where globalThis is its window (this project's types know no DOM).
  await page.evaluate((m) => {
    (globalThis as { __mark?: string }).__mark = m;
  }, mark);
  return () => page.evaluate((m) => (globalThis as { __mark?: string }).__mark === m, mark);
}

/** Signs in through the login form. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/#/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: `Sign out ${username}` }).waitFor({ timeout: PATIENCE });
}

/** Follows a link of the main navigation. */
export async function go(page: Page, link: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
}
