import type { IncomingMessage, ServerResponse } from "node:http";
import type { CryptoKey } from "jose";
import type pg from "pg";
import { callerOf } from "./auth.ts";
import { readJson, sendJson, sendProblem } from "./respond.ts";

// Adding to the cart, by hand: the cart function's one statement (insert at the menu's price, or add
// up the quantities, capped at 99) and the same JSON.

const ADD_LINE =
  'with "line" as (insert into "cart_items" ("user_id", "menuitem_id", "quantity", "unit_price") select cast($1 as integer) as "user_id", "menu_items"."id", cast($2 as integer) as "quantity", "menu_items"."price" from "menu_items" where "menu_items"."id" = $3 on conflict ("user_id", "menuitem_id") do update set "quantity" = "cart_items"."quantity" + "excluded"."quantity", "unit_price" = "excluded"."unit_price" where "cart_items"."quantity" + "excluded"."quantity" <= $4 returning "menuitem_id", "quantity", "unit_price") select "line"."menuitem_id", "menu_items"."title", "line"."quantity", "line"."unit_price", line.unit_price * line.quantity as "price" from "line" inner join "menu_items" on "menu_items"."id" = "line"."menuitem_id"';

interface LineRow {
  menuitem_id: number;
  title: string;
  quantity: number;
  unit_price: string;
  price: string;
}

export async function addToCart(pool: pg.Pool, key: CryptoKey, req: IncomingMessage, res: ServerResponse) {
  const caller = await callerOf(req.headers.authorization, key);
  if (!caller) return sendProblem(res, 401, "Unauthorized", "Authentication credentials were not provided.");
  const body = (await readJson(req)) as { menuitem?: unknown; quantity?: unknown } | undefined;
  const menuitem = Number(body?.menuitem);
  const quantity = Number(body?.quantity ?? 1);
  if (!Number.isSafeInteger(menuitem) || !Number.isSafeInteger(quantity) || quantity < 1 || quantity > 99)
    return sendProblem(res, 400, "Bad Request", "The request has invalid fields.");
  const { rows } = await pool.query<LineRow>(ADD_LINE, [caller.id, quantity, menuitem, 99]);
  const row = rows[0];
  if (!row) return sendProblem(res, 400, "Bad Request", "No such item, or the line would pass 99.");
  sendJson(res, 201, {
    menuitem: { id: row.menuitem_id, title: row.title },
    quantity: row.quantity,
    unit_price: row.unit_price,
    price: row.price,
  });
}
