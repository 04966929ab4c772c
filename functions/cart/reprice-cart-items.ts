import type { EventHandler } from "../../shared/events/index.ts";
import * as carts from "./repository.ts";

/**
 * The reaction to `tavola.menu.item.changed`: every cart line of the item takes the item's price. It
 * reads the price from menu_items rather than from the event: events may arrive out of order (a retried
 * older change after a newer one), and the menu row always holds the latest committed price, which is
 * at least as new as the event's. Each line remembers the menu version its price came from; lines that
 * hold the event's version or a newer one are not touched, so a duplicate or stale event changes
 * nothing; it emits nothing.
 */
export const repriceCartItems: EventHandler<"tavola.menu.item.changed"> = async (ctx, event) => {
  const changed = await carts.repriceLines(ctx.trx, event.data.menuitem_id, event.data.version);
  ctx.logger.debug("cart lines repriced", { menuItemId: event.data.menuitem_id, lines: changed });
};
