import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { registerUser, signedInClient } from "./api.ts";
import { go, PATIENCE, signIn, useBrowser } from "./browser.ts";

// Every page of every role through axe-core (WCAG 2 A and AA rules, colour contrast included), with every
// form control labelled, at desktop width and at a phone's 375 px without sideways scrolling.

const base = inject("base");
const admin = inject("admin");
const browser = useBrowser();
let axeSource: string;

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
});

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

async function audit(page: Page, heading: string): Promise<void> {
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor({ timeout: PATIENCE });
  // Wait for the page's data: no "Loading…" status left.
  await page
    .getByRole("status")
    .filter({ hasText: "Loading" })
    .first()
    .waitFor({ state: "detached", timeout: PATIENCE });
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.addScriptTag({ content: axeSource });
  const { violations, passes } = await page.evaluate(async () => {
    type Result = { violations: Violation[]; incomplete: Violation[]; passes: unknown[] };
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<Result> } }).axe;
    const result = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
    // Contrast axe could not decide (text over a parent's background, say) counts as a failure too.
    const undecided = result.incomplete.filter((v) => v.id === "color-contrast");
    const violations = [...result.violations, ...undecided].map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
    return { violations, passes: result.passes.length };
  });
  // axe ran its rules on this page (a page it could not read would pass nothing and violate nothing).
  expect(passes).toBeGreaterThan(5);
  expect(violations, `${heading}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  // Belt and braces for the rule the issue names: each input, select and textarea has a label.
  const unlabelled = await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<{
            id: string;
            labels: ArrayLike<unknown> | null;
            getAttribute(n: string): string | null;
          }>;
        };
      }
    ).document;
    return Array.from(doc.querySelectorAll("input, select, textarea"))
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute("aria-label"))
      .map((el) => el.id || "(no id)");
  });
  expect(unlabelled, heading).toEqual([]);
  const overflow = await page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow, `${heading} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.each([
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
])("every page on a $name ($width px)", ({ width, height }) => {
  it("passes axe's WCAG 2 AA rules, labels every control and fits the width", async () => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();

    await page.goto(base);
    await audit(page, "Sign in");
    await page.getByRole("link", { name: "Create an account" }).click();
    await audit(page, "Create an account");

    // A user who is a customer, a manager and crew at once sees every page.
    const user = await registerUser(base, "a11y");
    const asAdmin = await signedInClient(base, admin.username, admin.password);
    for (const group of ["manager", "delivery-crew"])
      await asAdmin.POST("/api/groups/{group}/users", {
        params: { path: { group } },
        body: { username: user.username },
      });
    const asUser = await signedInClient(base, user.username, user.password);
    const item = (await asUser.GET("/api/menu-items", { params: { query: { search: "Moussaka" } } })).data!
      .results[0]!;
    await asUser.POST("/api/cart/menu-items", { body: { menuitem: item.id, quantity: 2 } });

    await signIn(page, base, user.username, user.password);
    for (const [link, heading] of [
      ["Menu", "Menu"],
      ["Cart", "Your cart"],
      ["My orders", "My orders"],
      ["Orders board", "Orders board"],
      ["Edit menu", "Edit the menu"],
      ["Staff", "Staff"],
      ["Dead letters", "Dead letters"],
      ["My deliveries", "My deliveries"],
    ] as const) {
      await go(page, link);
      await audit(page, heading);
    }
    await context.close();
  });
});
