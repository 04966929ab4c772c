import { type Context, Hono } from "hono";
import { principalOf, requireAuth } from "../../shared/auth/index.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, parsePathId, readBody } from "../../shared/http/index.ts";
import { addToCart } from "./add-to-cart.ts";
import { changeCartQuantity } from "./change-cart-quantity.ts";
import { emptyCart } from "./empty-cart.ts";
import { getCart } from "./get-cart.ts";
import { type CartDeps, parseAddToCart, parseQuantityChange } from "./input.ts";
import { removeFromCart } from "./remove-from-cart.ts";

export interface CartRouteDeps extends CartDeps {
  verify: VerifyAccessToken;
}

/** The menu item id in the path; anything that is not a row id is simply not in the cart. */
function menuItemIdOf(c: Context<AppEnv>): number {
  const id = parsePathId(c.req.param("menuItemId"));
  if (id === undefined) throw new AppError("not_found", "Your cart holds no such menu item.");
  return id;
}

/** The caller's own cart, and only theirs: every route reads the caller from the token, never the body. */
export function cartRoutes(deps: CartRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = requireAuth(deps.verify);

  app.get("/api/cart/menu-items", auth, async (c) => c.json(await getCart(deps, principalOf(c).id)));
  app.post("/api/cart/menu-items", auth, async (c) => {
    const input = parseAddToCart(await readBody(c));
    return c.json(await addToCart(deps, { ...input, userId: principalOf(c).id }), 201);
  });
  app.delete("/api/cart/menu-items", auth, async (c) => {
    await emptyCart(deps, principalOf(c).id);
    return c.body(null, 204);
  });
  app.patch("/api/cart/menu-items/:menuItemId", auth, async (c) => {
    const menuItemId = menuItemIdOf(c);
    const quantity = parseQuantityChange(await readBody(c));
    return c.json(await changeCartQuantity(deps, { userId: principalOf(c).id, menuItemId, quantity }));
  });
  app.delete("/api/cart/menu-items/:menuItemId", auth, async (c) => {
    await removeFromCart(deps, { userId: principalOf(c).id, menuItemId: menuItemIdOf(c) });
    return c.body(null, 204);
  });
  return app;
}
