import { appOptions } from "../../shared/runtime/app-options.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { reconcileCarts } from "./reconcile-carts.ts";
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
  // Each PingSource tick reprices the lines whose menu item events went missing.
  onPing: (ctx) => reconcileCarts(ctx),
  build: async (ctx) => createApp(appOptions(ctx)),
};
