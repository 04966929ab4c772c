import { type Context, Hono } from "hono";
import { principalOf, requireAuth } from "../../shared/auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, body, parsePathId } from "../../shared/http/index.ts";
import { describe } from "../../shared/openapi/describe.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import { addToCart } from "./add-to-cart.ts";
import { changeCartQuantity } from "./change-cart-quantity.ts";
import { emptyCart } from "./empty-cart.ts";
import { getCart } from "./get-cart.ts";
import { removeFromCart } from "./remove-from-cart.ts";
import { addBody, cartLineSchema, cartSchema, changeBody, toAddToCart } from "./schemas.ts";

/** The menu item id in the path; anything that is not a row id is simply not in the cart. */
function menuItemIdOf(c: Context): number {
  const id = parsePathId(c.req.param("menuItemId"));
  if (id === undefined) throw new AppError("not_found", "Your cart holds no such menu item.");
  return id;
}

/** The caller's own cart, and only theirs: every route reads the caller from the token, never the body. */
export function cartRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = requireAuth(deps.verify);

  app.get(
    "/api/cart/menu-items",
    describe({ summary: "Get my cart", responses: { 200: cartSchema } }),
    auth,
    async (c) => c.json(await getCart(deps, principalOf(c).id)),
  );
  app.post(
    "/api/cart/menu-items",
    describe({
      summary: "Add to my cart",
      description: "An item already in the cart: the quantities add up. An unknown item is 400.",
      responses: { 201: cartLineSchema },
    }),
    auth,
    body(addBody),
    async (c) => {
      const input = toAddToCart(c.get("body"));
      return c.json(await addToCart(deps, { ...input, userId: principalOf(c).id }), 201);
    },
  );
  app.delete(
    "/api/cart/menu-items",
    describe({ summary: "Empty my cart", responses: { 204: null } }),
    auth,
    async (c) => {
      await emptyCart(deps, principalOf(c).id);
      return c.body(null, 204);
    },
  );
  app.patch(
    "/api/cart/menu-items/:menuItemId",
    describe({
      summary: "Change a quantity in my cart",
      description: "Quantity 0 removes the line. Answers the whole cart.",
      responses: { 200: cartSchema },
    }),
    auth,
    body(changeBody),
    async (c) => {
      const input = {
        userId: principalOf(c).id,
        menuItemId: menuItemIdOf(c),
        quantity: c.get("body").quantity,
      };
      return c.json(await changeCartQuantity(deps, input));
    },
  );
  app.delete(
    "/api/cart/menu-items/:menuItemId",
    describe({ summary: "Remove an item from my cart", responses: { 204: null } }),
    auth,
    async (c) => {
      await removeFromCart(deps, { userId: principalOf(c).id, menuItemId: menuItemIdOf(c) });
      return c.body(null, 204);
    },
  );
  return app;
}
