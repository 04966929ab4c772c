import type { IncomingMessage, ServerResponse } from "node:http";
import type { CryptoKey } from "jose";
import type pg from "pg";
import { callerOf } from "./auth.ts";
import { readJson, sendJson, sendProblem } from "./respond.ts";

// Adding to the cart, by hand: the same statements as the cart function, in one transaction.

export async function addToCart(pool: pg.Pool, key: CryptoKey, req: IncomingMessage, res: ServerResponse) {
  const caller = await callerOf(req.headers.authorization, key);
  if (!caller) return sendProblem(res, 401, "Unauthorized", "Authentication credentials were not provided.");
  const body = (await readJson(req)) as { menuitem?: unknown; quantity?: unknown } | undefined;
  const menuitem = Number(body?.menuitem);
  const quantity = Number(body?.quantity ?? 1);
  if (!Number.isSafeInteger(menuitem) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > 99)
    return sendProblem(res, 400, "Bad Request", "The request has invalid fields.");
  const client = await pool.connect();
  try {
    await client.query("begin");
    const item = await client.query<{ title: string; price: string }>(
      'select "title", "price" from "menu_items" where "id" = $1',
      [menuitem],
    );
    if (item.rows.length === 0) {
      await client.query("rollback");
      return sendProblem(res, 400, "Bad Request", "There is no such menu item.");
    }
    const line = await client.query<{ quantity: number; unit_price: string; price: string }>(
      'insert into "cart_items" ("user_id", "menuitem_id", "quantity", "unit_price") values ($1, $2, $3, $4) on conflict ("user_id", "menuitem_id") do update set "quantity" = "cart_items"."quantity" + "excluded"."quantity", "unit_price" = "excluded"."unit_price" returning "quantity", "unit_price", ("unit_price" * "quantity")::text as "price"',
      [caller.id, menuitem, quantity, item.rows[0]!.price],
    );
    await client.query("commit");
    const row = line.rows[0]!;
    sendJson(res, 201, {
      menuitem: { id: menuitem, title: item.rows[0]!.title },
      quantity: row.quantity,
      unit_price: row.unit_price,
      price: row.price,
    });
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
