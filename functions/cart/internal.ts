import type { Kysely } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import * as carts from "./repository.ts";
import type { Cart } from "./schemas.ts";
import { toCartLine } from "./view.ts";

// What the cart's verbs share: their deps, the caller's cart as a lookup, and the not-found error.

/** What the cart's verbs need. */
export interface CartDeps {
  db: Kysely<Database>;
}

/** The caller's cart, lines in the order they were added; the total is summed in SQL (exact). */
export async function cartOf(db: Kysely<Database>, userId: number): Promise<Cart> {
  const rows = await carts.listCartLines(db, userId);
  return { count: rows.length, results: rows.map(toCartLine), total: rows[0]?.total ?? "0.00" };
}

export function notInCart(menuItemId: number): AppError {
  return new AppError("not_found", `Your cart holds no menu item with id ${menuItemId}.`);
}
