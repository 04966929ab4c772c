import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { registerUser, signedInClient } from "./api.ts";
import { expectText, go, markDocument, PATIENCE, signIn, useBrowser } from "./browser.ts";

// The walk-through in a real browser: a customer orders, a manager assigns, the crew picks up
// and delivers, each in a browser context of their own, and every page follows the others live.

const base = inject("base");
const admin = inject("admin");
const browser = useBrowser();

/** The price of the given dishes at the menu's current prices, in cents arithmetic, as the API shows it. */
async function totalOf(base: string, quantities: Record<string, number>): Promise<string> {
  const menu = (await (await fetch(`${base}/api/menu-items?perpage=100`)).json()) as { results: unknown[] };
  let cents = 0;
  for (const item of menu.results as { title: string; price: string }[])
    cents += Math.round(Number(item.price) * 100) * (quantities[item.title] ?? 0);
  return (cents / 100).toFixed(2);
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

describe("an order from menu to delivered, across the three roles", () => {
  it("is placed once, assigned, picked up and delivered, and every page follows live", async () => {
    const crewUser = await registerUser(base, "crew");

    // The manager puts the new crew member in the delivery crew on the Staff page, then opens the board.
    const manager = await newPage();
    await signIn(manager, base, admin.username, admin.password);
    await go(manager, "Staff");
    await manager.getByLabel("Username to add to delivery crew").fill(crewUser.username);
    await manager.getByLabel("Username to add to delivery crew").press("Enter");
    await expectText(manager.getByRole("status"), `Added ${crewUser.username}`);
    await go(manager, "Orders board");
    await manager.getByRole("heading", { name: "Orders board" }).waitFor({ timeout: PATIENCE });
    const managerUnchanged = await markDocument(manager);

    // The crew member's deliveries page is open before anything is assigned to them.
    const crew = await newPage();
    await signIn(crew, base, crewUser.username, crewUser.password);
    await crew.getByRole("heading", { name: "My deliveries" }).waitFor({ timeout: PATIENCE });
    await expectText(crew.locator("main"), "Nothing to deliver yet");
    const crewUnchanged = await markDocument(crew);

    // The customer registers, browses by category and search, and fills the cart.
    const customer = await newPage();
    await customer.goto(base);
    await customer.getByRole("link", { name: "Create an account" }).click();
    const username = `ada-${Date.now().toString(36)}`;
    await customer.getByLabel("Username").fill(username);
    await customer.getByLabel("Password").fill("correct-horse-battery");
    await customer.getByRole("button", { name: "Create account" }).click();
    await customer.getByRole("heading", { name: "Menu" }).waitFor({ timeout: PATIENCE });
    await customer.getByLabel("Category").selectOption({ label: "Desserts" });
    // The filter has applied once the starters are gone; the desserts stay.
    await customer
      .getByRole("button", { name: "Add Bruschetta to cart" })
      .waitFor({ state: "detached", timeout: PATIENCE });
    await customer.getByRole("button", { name: "Add Baklava to cart" }).waitFor({ timeout: PATIENCE });
    await customer.getByRole("button", { name: "Add Baklava to cart" }).click();
    await expectText(customer.getByRole("status"), "Added Baklava to your cart.");
    await customer.getByLabel("Category").selectOption({ label: "All categories" });
    await customer.getByLabel("Search").fill("bruschetta");
    await customer.getByRole("button", { name: "Add Bruschetta to cart" }).click();
    await expectText(customer.getByRole("status"), "Added Bruschetta to your cart.");

    await go(customer, "Cart");
    await customer.getByLabel("Quantity of Bruschetta").fill("3");
    await customer.getByLabel("Quantity of Bruschetta").press("Tab");
    // The total the page shows is the API's, for three Bruschetta and one Baklava.
    await expectText(
      customer.locator(".total"),
      `Total: $${await totalOf(base, { Bruschetta: 3, Baklava: 1 })}`,
    );

    // A double click places one order: the button is disabled while the first attempt is in flight.
    await customer.getByRole("button", { name: "Place order" }).dblclick();
    await customer.getByRole("heading", { name: "My orders" }).waitFor({ timeout: PATIENCE });
    const card = customer.locator("[data-order]").first();
    await expectText(card, "Placed");
    const orderId = Number(await card.getAttribute("data-order"));
    const asCustomer = await signedInClient(base, username, "correct-horse-battery");
    const orders = (await asCustomer.GET("/api/orders")).data!;
    expect(orders.results.map((o) => o.id)).toEqual([orderId]);
    expect(orders.results[0]!.items.map((i) => [i.menuitem.title, i.quantity]).sort()).toEqual([
      ["Baklava", 1],
      ["Bruschetta", 3],
    ]);
    const customerUnchanged = await markDocument(customer);
    // Each page follows the API's event stream (not the polling fallback).
    for (const page of [customer, manager, crew]) await expectText(page.locator(".live"), /^Live$/);

    // The new order appears on the manager's board without a reload; the manager assigns the crew member.
    const boardCard = manager.locator(`[data-order="${orderId}"]`);
    await expectText(boardCard, "Placed");
    await boardCard
      .getByLabel(`Crew member for order #${orderId}`)
      .selectOption({ label: crewUser.username });
    await boardCard.getByRole("button", { name: "Assign" }).click();
    await expectText(boardCard, "Assigned");
    await expectText(boardCard, `crew: ${crewUser.username}`);

    // The customer's page shows each step as it happens; the crew's page gets the delivery live.
    const status = customer.locator(`[data-order="${orderId}"]`);
    await expectText(status, "Assigned");
    const delivery = crew.locator(`[data-delivery="${orderId}"]`);
    await expectText(delivery, "Assigned");
    await delivery.getByRole("button", { name: `Pick up order #${orderId}` }).click();
    await expectText(delivery, "Out for delivery");
    await expectText(status, "Out for delivery");
    await expectText(boardCard, "Out for delivery");
    await delivery.getByRole("button", { name: `Mark order #${orderId} delivered` }).click();
    await expectText(delivery, "Delivered");
    await expectText(status, "Delivered");
    await expectText(boardCard, "Delivered");
    expect(await status.getByRole("button", { name: /Cancel/ }).count()).toBe(0);

    // None of the three pages was reloaded or replaced on the way.
    expect(await customerUnchanged()).toBe(true);
    expect(await managerUnchanged()).toBe(true);
    expect(await crewUnchanged()).toBe(true);
    const final = (await asCustomer.GET("/api/orders/{id}", { params: { path: { id: orderId } } })).data!;
    expect(final.status).toBe("delivered");
    expect(final.delivery_crew).toBe(crewUser.id);
  });
});
