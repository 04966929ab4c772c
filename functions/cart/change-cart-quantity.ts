import { type CartDeps, cartOf, notInCart } from "./internal.ts";
import * as carts from "./repository.ts";
import type { Cart } from "./schemas.ts";

/**
 * Sets how many of an item the caller's cart holds; 0 removes the line. Answers the whole cart, whose
 * total the client has to show anew either way. The unit price is left as it is: only the menu sets it.
 */
export async function changeCartQuantity(
  deps: CartDeps,
  input: { userId: number; menuItemId: number; quantity: number },
): Promise<Cart> {
  const changed =
    input.quantity === 0
      ? await carts.deleteLine(deps.db, input.userId, input.menuItemId)
      : await carts.setQuantity(deps.db, input.userId, input.menuItemId, input.quantity);
  if (!changed) throw notInCart(input.menuItemId);
  return cartOf(deps.db, input.userId);
}
