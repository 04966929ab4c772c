import { type CartDeps, notInCart } from "./internal.ts";
import * as carts from "./repository.ts";

/** Takes one item out of the caller's cart; not_found when the cart does not hold it. */
export async function removeFromCart(
  deps: CartDeps,
  input: { userId: number; menuItemId: number },
): Promise<void> {
  if (!(await carts.deleteLine(deps.db, input.userId, input.menuItemId))) throw notInCart(input.menuItemId);
}
