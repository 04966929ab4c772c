import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { registerUser, signedInClient } from "./api.ts";
import { PATIENCE, useBrowser } from "./browser.ts";

// Signing in and adding to the cart with the keyboard alone: Tab to each control, type, Enter.

const base = inject("base");
const browser = useBrowser();

/** The accessible-ish name of the focused element: its aria-label, its label's text, or its own text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    type El = {
      getAttribute(n: string): string | null;
      labels?: ArrayLike<{ textContent: string | null }>;
      textContent: string | null;
    };
    const el = (globalThis as unknown as { document: { activeElement: El | null } }).document.activeElement;
    if (!el) return "";
    return (el.getAttribute("aria-label") ?? el.labels?.[0]?.textContent ?? el.textContent ?? "").trim();
  });
}

/** Presses Tab until the focused element has the name (at most `limit` times), as a keyboard user would. */
async function tabTo(page: Page, name: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if ((await focusedName(page)) === name) return;
  }
  throw new Error(`"${name}" was not reached with Tab`);
}

describe("keyboard only", () => {
  it("signs in and adds a dish to the cart", async () => {
    const user = await registerUser(base, "keys");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/login`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: PATIENCE });

    await tabTo(page, "Username");
    await page.keyboard.type(user.username);
    await tabTo(page, "Password");
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Menu", level: 1 }).waitFor({ timeout: PATIENCE });
    await page.getByRole("button", { name: "Add Lemonade to cart" }).waitFor({ timeout: PATIENCE });

    await tabTo(page, "Add Lemonade to cart");
    await page.keyboard.press("Enter");
    await page
      .getByRole("status")
      .filter({ hasText: "Added Lemonade to your cart." })
      .waitFor({ timeout: PATIENCE });

    const cart = (
      await (await signedInClient(base, user.username, user.password)).GET("/api/cart/menu-items")
    ).data!;
    expect(cart.results.map((l) => [l.menuitem.title, l.quantity])).toEqual([["Lemonade", 1]]);
    await context.close();
  });
});
