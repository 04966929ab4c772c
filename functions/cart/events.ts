import type { EventHandlers, PingHook } from "../../shared/events/index.ts";
import { reconcileCarts } from "./reconcile-carts.ts";
import { removeCartItemsForMenuItem } from "./remove-cart-items-for-menu-item.ts";
import { repriceCartItems } from "./reprice-cart-items.ts";

/** The cart's event edge: the menu's changes it follows, one verb for each. */
export const cartEvents: EventHandlers = {
  "tavola.menu.item.changed": repriceCartItems,
  "tavola.menu.item.deleted": removeCartItemsForMenuItem,
};

/** Each PingSource tick reprices the lines whose menu item events went missing. */
export const cartPing: PingHook = (ctx) => reconcileCarts(ctx);
