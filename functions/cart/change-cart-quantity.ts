import { AppError } from "../../shared/errors.ts";
import { getCart } from "./get-cart.ts";
import type { CartDeps } from "./input.ts";
import * as carts from "./repository.ts";
import type { Cart } from "./shapes.ts";

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
  return getCart(deps, input.userId);
}

export function notInCart(menuItemId: number): AppError {
  return new AppError("not_found", `Your cart holds no menu item with id ${menuItemId}.`);
}
