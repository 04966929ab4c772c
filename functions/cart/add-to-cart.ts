import { sqlState } from "../../shared/db/index.ts";
import { AppError } from "../../shared/errors.ts";
import type { CartDeps } from "./internal.ts";
import * as carts from "./repository.ts";
import type { AddToCartInput, CartLine } from "./schemas.ts";
import { toCartLine } from "./view.ts";

type Input = AddToCartInput & { userId: number };

/**
 * Puts an item in the caller's cart. Adding an item already there adds up the quantities and refreshes
 * the line's unit price to the current menu price (the price the caller sees when adding). The price is
 * always the menu's, never the client's. An unknown item, or a line that would pass 99, is a
 * validation error.
 */
export async function addToCart(deps: CartDeps, input: Input): Promise<CartLine> {
  let row: carts.CartLineRow | undefined;
  try {
    row = await carts.addToCartLine(deps.db, input);
  } catch (error) {
    // A foreign key refused the line: the item was deleted between the statement's read and its write,
    // or the caller's account was deleted while their token is still valid.
    if (sqlState(error) !== "23503") throw error;
    if (String((error as { constraint?: unknown }).constraint).includes("user")) {
      throw new AppError("unauthenticated", "Your account no longer exists.");
    }
    throw unknownItem(input);
  }
  if (row) return toCartLine(row);
  // The one statement wrote nothing: either there is no such item or the sum would pass the limit.
  if (!(await carts.menuItemExists(deps.db, input.menuItemId))) throw unknownItem(input);
  const current = (await carts.findQuantity(deps.db, input.userId, input.menuItemId)) ?? 0;
  throw new AppError(
    "validation",
    `The cart already holds ${current} of this item; a line holds at most ${carts.MAX_QUANTITY}.`,
    {
      errors: [{ path: "quantity", message: `must be at most ${Math.max(0, carts.MAX_QUANTITY - current)}` }],
    },
  );
}

function unknownItem(input: Input): AppError {
  return new AppError("validation", `There is no menu item with id ${input.menuItemId}.`, {
    errors: [{ path: input.field, message: "does not name an item on the menu" }],
  });
}
