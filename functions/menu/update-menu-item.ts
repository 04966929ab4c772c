import { withTransaction } from "../../shared/db/index.ts";
import { enqueueEvent } from "../../shared/events/index.ts";
import * as categories from "./category-repository.ts";
import type { MenuWriteDeps } from "./internal.ts";
import { menuItemNotFound, rejectingVanishedCategory, unknownCategory } from "./internal.ts";
import * as items from "./repository.ts";
import type { MenuItem, MenuItemChanges } from "./schemas.ts";
import { toMenuItem } from "./view.ts";

/**
 * Changes a menu item (PUT sends every required field, PATCH any of them). When its title or price
 * changed, `tavola.menu.item.changed` goes to the outbox in the same transaction, so carts are repriced
 * exactly when the change commits; a change of `featured`, category or description alone emits nothing,
 * since no cart shows them.
 */
export async function updateMenuItem(
  deps: MenuWriteDeps,
  input: { id: number; changes: MenuItemChanges },
): Promise<MenuItem> {
  const { categoryId, categoryField = "category_id", ...rest } = input.changes;
  const values: Partial<items.MenuItemValues> = { ...rest };
  if (categoryId !== undefined) values.category_id = categoryId;
  return rejectingVanishedCategory(categoryField, categoryId, () =>
    withTransaction(
      deps.db,
      async (trx) => {
        const before = await items.lockMenuItem(trx, input.id);
        if (!before) throw menuItemNotFound(input.id);
        if (categoryId !== undefined && !(await categories.findCategory(trx, categoryId))) {
          throw unknownCategory(categoryField, categoryId);
        }
        if (Object.keys(values).length > 0) {
          const after = await items.updateMenuItem(trx, input.id, values);
          if (after.title !== before.title || after.price !== before.price) {
            const data = {
              menuitem_id: input.id,
              version: after.version,
              title: after.title,
              price: after.price,
            };
            await enqueueEvent(trx, {
              source: "menu",
              type: "tavola.menu.item.changed",
              subject: input.id,
              data,
            });
          }
        }
        return toMenuItem((await items.findMenuItem(trx, input.id))!);
      },
      { pending: deps.pending },
    ),
  );
}
