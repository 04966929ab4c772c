// `npm run screenshots`: each role's main page at desktop and phone width, into docs/screenshots/, from
// a fresh `npm start` with a few orders in different states (made through the API, as the roles would).

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { registerUser, signedInClient } from "./api.ts";
import { launchBrowser, PATIENCE, signIn } from "./browser.ts";
import { ROOT, startStack } from "./stack.ts";

const OUT = join(ROOT, "docs", "screenshots");
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } } as const;

const stack = await startStack();
let browser: Browser | undefined;
try {
  const { base, admin } = stack;
  const asAdmin = await signedInClient(base, admin.username, admin.password);
  const crew = await registerUser(base, "sam");
  await asAdmin.POST("/api/groups/{group}/users", {
    params: { path: { group: "delivery-crew" } },
    body: { username: crew.username },
  });
  const customer = await registerUser(base, "ada");
  const asCustomer = await signedInClient(base, customer.username, customer.password);
  const asCrew = await signedInClient(base, crew.username, crew.password);
  const menu = (await asCustomer.GET("/api/menu-items", { params: { query: { perpage: 100 } } })).data!
    .results;
  const byTitle = (title: string) => menu.find((m) => m.title === title)!.id;

  // Three orders: one delivered, one out for delivery, one just placed.
  const orders: number[] = [];
  for (const lines of [
    [
      ["Moussaka", 1],
      ["Lemonade", 2],
    ],
    [
      ["Greek Salad", 1],
      ["Baklava", 2],
    ],
    [
      ["Lamb Kofta", 2],
      ["House Red", 2],
    ],
  ] as const) {
    for (const [title, quantity] of lines)
      await asCustomer.POST("/api/cart/menu-items", { body: { menuitem: byTitle(title), quantity } });
    orders.push((await asCustomer.POST("/api/orders", {})).data!.id);
  }
  for (const id of orders.slice(0, 2))
    await asAdmin.PATCH("/api/orders/{id}", { params: { path: { id } }, body: { delivery_crew: crew.id } });
  // The deliveries follow the orders through events: wait until the crew's are there.
  for (let tries = 0; ; tries++) {
    const mine = (await asCrew.GET("/api/deliveries")).data!.results;
    if (mine.filter((d) => d.status === "assigned").length === 2) break;
    if (tries > 100) throw new Error("the crew's deliveries did not arrive");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await asCrew.POST("/api/deliveries/{orderId}/pickup", { params: { path: { orderId: orders[0]! } } });
  await asCrew.POST("/api/deliveries/{orderId}/deliver", { params: { path: { orderId: orders[0]! } } });
  await asCrew.POST("/api/deliveries/{orderId}/pickup", { params: { path: { orderId: orders[1]! } } });

  browser = await launchBrowser();
  await mkdir(OUT, { recursive: true });
  const shots = [
    { name: "customer-menu", user: customer, route: "/menu", heading: "Menu" },
    { name: "customer-orders", user: customer, route: "/orders", heading: "My orders" },
    { name: "manager-board", user: admin, route: "/board", heading: "Orders board" },
    { name: "crew-deliveries", user: crew, route: "/deliveries", heading: "My deliveries" },
  ];
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const shot of shots) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, base, shot.user.username, shot.user.password);
      await page.goto(`${base}/#${shot.route}`);
      await page.getByRole("heading", { name: shot.heading, level: 1 }).waitFor({ timeout: PATIENCE });
      await page
        .getByRole("status")
        .filter({ hasText: "Loading" })
        .first()
        .waitFor({ state: "detached", timeout: PATIENCE });
      if (shot.route !== "/menu") await page.locator(".live-live").waitFor({ timeout: PATIENCE });
      await page.evaluate(() =>
        (
          globalThis as unknown as { document: { activeElement: { blur(): void } | null } }
        ).document.activeElement?.blur(),
      );
      const file = join(OUT, `${shot.name}-${size}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${file}\n`);
      await context.close();
    }
  }
} finally {
  await browser?.close();
  await stack.stop();
}
