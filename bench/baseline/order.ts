import type { IncomingMessage, ServerResponse } from "node:http";
import type { CryptoKey } from "jose";
import type pg from "pg";
import { callerOf } from "./auth.ts";
import { publish } from "./publish.ts";
import { sendJson, sendProblem } from "./respond.ts";

// Checkout, by hand: the same statements as the order function, in one transaction, the outbox row
// of tavola.order.placed included.

interface Line {
  cartItemId: number;
  menuitemId: number;
  title: string;
  quantity: number;
  price: string;
}

export async function placeOrder(
  pool: pg.Pool,
  key: CryptoKey,
  sink: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const caller = await callerOf(req.headers.authorization, key);
  if (!caller) return sendProblem(res, 401, "Unauthorized", "Authentication credentials were not provided.");
  req.resume();
  const client = await pool.connect();
  let released = false;
  try {
    await client.query("begin");
    const lines = await client.query<Line>(
      'select "c"."id" as "cartItemId", "m"."id" as "menuitemId", "m"."title", "c"."quantity", "m"."price" from "cart_items" as "c" inner join "menu_items" as "m" on "m"."id" = "c"."menuitem_id" where "c"."user_id" = $1 order by "m"."id" for update of "c" for share of "m"',
      [caller.id],
    );
    if (lines.rows.length === 0) {
      await client.query("rollback");
      return sendProblem(
        res,
        400,
        "Bad Request",
        "Your cart is empty; add menu items before placing an order.",
      );
    }
    const order = await client.query<{ id: number }>(
      'insert into "orders" ("user_id", "delivery_crew_id", "status", "total") values ($1, $2, $3, $4) returning "id"',
      [caller.id, null, "placed", "0.00"],
    );
    const orderId = order.rows[0]!.id;
    const values: unknown[] = [];
    const tuples = lines.rows.map((line, i) => {
      values.push(orderId, line.menuitemId, line.title, line.quantity, line.price, line.price, line.quantity);
      const p = i * 7;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::numeric * $${p + 7})`;
    });
    await client.query(
      `insert into "order_items" ("order_id", "menuitem_id", "title", "quantity", "unit_price", "price") values ${tuples.join(", ")}`,
      values,
    );
    const updated = await client.query<{
      id: number;
      user_id: number;
      delivery_crew_id: number | null;
      status: string;
      total: string;
      created_at: Date;
    }>(
      'update "orders" set "total" = (select coalesce(sum(price), 0) from order_items where order_id = $1) where "id" = $2 returning *',
      [orderId, orderId],
    );
    await client.query(
      `delete from "cart_items" where "id" in (${lines.rows.map((_, i) => `$${i + 1}`).join(", ")})`,
      lines.rows.map((l) => l.cartItemId),
    );
    const items = await client.query<{
      menuitem_id: number;
      title: string;
      quantity: number;
      unit_price: string;
      price: string;
    }>(
      'select "order_id", "menuitem_id", "title", "quantity", "unit_price", "price" from "order_items" where "order_id" in ($1) order by "order_id", "id"',
      [orderId],
    );
    const o = updated.rows[0]!;
    const view = {
      id: o.id,
      user: o.user_id,
      delivery_crew: o.delivery_crew_id,
      status: o.status,
      total: o.total,
      date: o.created_at.toISOString(),
      items: items.rows.map((i) => ({
        menuitem: { id: i.menuitem_id, title: i.title },
        quantity: i.quantity,
        unit_price: i.unit_price,
        price: i.price,
      })),
    };
    const data = {
      order_id: o.id,
      user_id: o.user_id,
      total: o.total,
      items: items.rows.map((i) => ({
        menuitem_id: i.menuitem_id,
        quantity: i.quantity,
        unit_price: i.unit_price,
      })),
    };
    const eventId = crypto.randomUUID();
    await client.query(
      'insert into "outbox" ("id", "source", "type", "subject", "data", "last_error", "lease_until", "sent_at") values ($1, $2, $3, $4, $5, $6, $7, $8)',
      [eventId, "/tavola/order", "tavola.order.placed", String(o.id), JSON.stringify(data), null, null, null],
    );
    await client.query("commit");
    client.release();
    released = true;
    // As the functions do: the event goes to the broker after the commit and before the answer.
    await publish(pool, sink, eventId);
    sendJson(res, 201, view);
  } catch (error) {
    if (!released) await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    if (!released) client.release();
  }
}
