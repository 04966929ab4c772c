import type { EventHandler } from "../../shared/events/index.ts";
import * as carts from "./repository.ts";

/**
 * The reaction to `tavola.menu.item.deleted`: no cart keeps the item. The foreign key's cascade has
 * usually removed the lines already, in the deletion's own transaction; this makes the contract hold on
 * its own and is idempotent. An item that is still on the menu keeps its lines (an event that does not
 * describe the menu as it is changes nothing).
 */
export const removeCartItemsForMenuItem: EventHandler<"tavola.menu.item.deleted"> = async (ctx, event) => {
  const removed = await carts.deleteLinesOfRemovedItem(ctx.trx, event.data.menuitem_id);
  ctx.logger.debug("cart lines of a deleted item removed", {
    menuItemId: event.data.menuitem_id,
    lines: removed,
  });
};
