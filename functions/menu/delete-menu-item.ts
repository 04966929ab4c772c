import { withTransaction } from "../../shared/db/index.ts";
import { enqueueEvent } from "../../shared/events/index.ts";
import type { MenuWriteDeps } from "./internal.ts";
import { menuItemNotFound } from "./internal.ts";
import * as items from "./repository.ts";

/**
 * Takes an item off the menu and writes `tavola.menu.item.deleted` to the outbox in the same
 * transaction. Orders keep their copies of the item's title and price (order_items has no foreign key).
 */
export async function deleteMenuItem(deps: MenuWriteDeps, id: number): Promise<void> {
  await withTransaction(
    deps.db,
    async (trx) => {
      const last = await items.deleteMenuItem(trx, id);
      if (last === undefined) throw menuItemNotFound(id);
      // The deletion is the item's last change: the version after its current one.
      const data = { menuitem_id: id, version: last + 1 };
      await enqueueEvent(trx, { source: "menu", type: "tavola.menu.item.deleted", subject: id, data });
    },
    { pending: deps.pending },
  );
}
