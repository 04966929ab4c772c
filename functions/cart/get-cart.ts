import type { CartDeps } from "./input.ts";
import * as carts from "./repository.ts";
import { type Cart, toCartLine } from "./shapes.ts";

/** The caller's cart, lines in the order they were added; the total is summed in SQL (exact). */
export async function getCart(deps: CartDeps, userId: number): Promise<Cart> {
  const rows = await carts.listCartLines(deps.db, userId);
  return { count: rows.length, results: rows.map(toCartLine), total: rows[0]?.total ?? "0.00" };
}
