import { describe, expect, inject, it } from "vitest";
import { signedInClient } from "./api.ts";
import { expectText, go, PATIENCE, signIn, useBrowser } from "./browser.ts";

// A manager edits the menu in the browser: the item of the day, a new category with a dish in it, a
// price, and a refused deletion; the API shows each change.

const base = inject("base");
const admin = inject("admin");
const browser = useBrowser();

describe("menu editing", () => {
  it("sets the item of the day, adds a category and a dish, reprices it, and explains a refused delete", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, admin.username, admin.password);
    await go(page, "Edit menu");
    await page.getByRole("heading", { name: "Edit the menu", level: 1 }).waitFor({ timeout: PATIENCE });
    const api = await signedInClient(base, admin.username, admin.password);

    await page.getByRole("group", { name: "Item of the day" }).getByLabel("Tiramisu").check();
    await expectText(page.getByRole("status"), "Tiramisu is the item of the day.");
    const featured = (await api.GET("/api/menu-items", { params: { query: { featured: "true" } } })).data!;
    expect(featured.results.map((i) => i.title)).toEqual(["Tiramisu"]);

    const slug = `specials-${Date.now().toString(36)}`;
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Title", { exact: true }).last().fill("Specials");
    await page.getByRole("button", { name: "Add category" }).click();
    await expectText(page.getByRole("status"), "Added the category Specials.");

    await page.locator("#new-item-title").fill("Octopus");
    await page.locator("#new-item-price").fill("21.50");
    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Specials" });
    await page.getByRole("button", { name: "Add dish" }).click();
    await expectText(page.getByRole("status"), "Added Octopus.");

    await page.getByLabel("Price of Octopus").fill("22.00");
    await page.getByLabel("Price of Octopus").press("Tab");
    await expectText(page.getByRole("status"), "Octopus now costs 22.00.");
    const octopus = (await api.GET("/api/menu-items", { params: { query: { search: "Octopus" } } })).data!;
    expect(octopus.results.map((i) => [i.title, i.price, i.category.slug])).toEqual([
      ["Octopus", "22.00", slug],
    ]);

    // A category that still has dishes cannot go: the API's reason is shown, and it stays.
    await page.getByRole("button", { name: "Delete Specials" }).click();
    await page.getByRole("alert").waitFor({ timeout: PATIENCE });
    const categories = (await api.GET("/api/categories", { params: { query: { perpage: 100 } } })).data!;
    expect(categories.results.map((c) => c.slug)).toContain(slug);
    await context.close();
  });
});
