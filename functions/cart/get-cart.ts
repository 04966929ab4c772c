import { type CartDeps, cartOf } from "./internal.ts";
import type { Cart } from "./schemas.ts";

/** The caller's cart, lines in the order they were added, with their exact total. */
export async function getCart(deps: CartDeps, userId: number): Promise<Cart> {
  return cartOf(deps.db, userId);
}
