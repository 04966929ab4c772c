// Fixtures for the order function's tests (not a test file itself).
import { type Kysely, sql } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { type Actor, testActors } from "../../shared/testing/actors.ts";
import { call, createMenuItem, createTestKeys } from "../../shared/testing/index.ts";
import { orderFunction } from "./definition.ts";

export type { Actor } from "../../shared/testing/actors.ts";

/** The order app over a test database, with helpers to make users and fill carts. */
export async function orderTestbed(db: Kysely<Database>) {
  const keys = await createTestKeys();
  const app = createApp(orderFunction, { db, logger: createLogger("silent"), verify: keys.verify });
  const actors = testActors(db, () => keys);
  return {
    app,
    keys,
    customer: actors.customer,
    manager: actors.manager,
    crew: actors.crew,
    /** Puts lines in a user's cart as the cart function would, each with a new menu item. */
    fillCart: (userId: number, lines: { price: string; quantity: number; cartPrice?: string }[]) =>
      fillCart(db, userId, lines),
    /** Fills a cart and places an order from it over HTTP; returns the order's body. */
    placedOrder: async (owner: Actor, lines = [{ price: "4.00", quantity: 2 }]) => {
      await fillCart(db, owner.principal.id, lines);
      const res = await call(app, "POST", "/api/orders", { token: owner.token });
      if (res.status !== 201) throw new Error(`placing an order failed: ${res.status}`);
      return res.body as { id: number; total: string; status: string };
    },
  };
}

export async function fillCart(
  db: Kysely<Database>,
  userId: number,
  lines: { price: string; quantity: number; cartPrice?: string }[],
) {
  const items = [];
  for (const line of lines) {
    const item = await createMenuItem(db, { price: line.price });
    await db
      .insertInto("cart_items")
      .values({
        user_id: userId,
        menuitem_id: item.id,
        quantity: line.quantity,
        unit_price: line.cartPrice ?? line.price,
      })
      .execute();
    items.push(item);
  }
  return items;
}

/** Counts of every table a checkout touches, to prove a failure left the database as it was. */
export async function snapshot(db: Kysely<Database>, userId: number) {
  const count = async (table: "orders" | "order_items" | "outbox" | "idempotency_keys") =>
    (await db.selectFrom(table).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow()).n;
  const cart = await db
    .selectFrom("cart_items")
    .select(["menuitem_id", "quantity", "unit_price"])
    .where("user_id", "=", userId)
    .orderBy("menuitem_id")
    .execute();
  return {
    orders: await count("orders"),
    orderItems: await count("order_items"),
    outbox: await count("outbox"),
    idempotencyKeys: await count("idempotency_keys"),
    cart,
  };
}

/** The outbox rows written about one order, oldest first. */
export async function outboxFor(db: Kysely<Database>, orderId: number) {
  return db
    .selectFrom("outbox")
    .select(["type", "source", "subject", "data"])
    .where("subject", "=", String(orderId))
    .where("source", "=", "/tavola/order")
    .orderBy("created_at")
    .orderBy(sql`ctid`)
    .execute();
}
