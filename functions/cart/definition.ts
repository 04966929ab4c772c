import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { removeCartItemsForMenuItem } from "./remove-cart-items-for-menu-item.ts";
import { repriceCartItems } from "./reprice-cart-items.ts";

/** The cart function: each caller's cart, kept in step with the menu by its events. */
export const cartFunction: FunctionDefinition = {
  name: "cart",
  routes: ["/api/cart/menu-items"],
  events: {
    "tavola.menu.item.changed": repriceCartItems,
    "tavola.menu.item.deleted": removeCartItemsForMenuItem,
  },
  build: async (ctx) =>
    createApp({
      db: ctx.db,
      logger: ctx.logger,
      verify: ctx.verify,
      publisher: ctx.publisher,
      throttle: {
        limit: ctx.config.THROTTLE_LIMIT,
        windowSeconds: ctx.config.THROTTLE_WINDOW_SECONDS,
        trustProxy: ctx.config.TRUST_PROXY,
      },
    }),
};
