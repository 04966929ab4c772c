import type { CartDeps } from "./internal.ts";
import * as carts from "./repository.ts";

/** Empties the caller's cart; an empty cart stays empty (no error: the result is what was asked). */
export async function emptyCart(deps: CartDeps, userId: number): Promise<void> {
  await carts.deleteCart(deps.db, userId);
}
