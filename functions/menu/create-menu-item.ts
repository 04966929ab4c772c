import { withTransaction } from "../../shared/db/index.ts";
import * as categories from "./category-repository.ts";
import { type MenuDeps, rejectingVanishedCategory, unknownCategory } from "./internal.ts";
import * as items from "./repository.ts";
import type { MenuItem, MenuItemInput } from "./schemas.ts";
import { toMenuItem } from "./view.ts";

/**
 * Adds an item to the menu; a category that does not exist is a validation error on the field the
 * client named it with. No event: no cart can hold an item that did not exist.
 */
export async function createMenuItem(deps: MenuDeps, input: MenuItemInput): Promise<MenuItem> {
  const field = input.categoryField ?? "category_id";
  return rejectingVanishedCategory(field, input.categoryId, () =>
    withTransaction(deps.db, async (trx) => {
      if (!(await categories.findCategory(trx, input.categoryId))) {
        throw unknownCategory(field, input.categoryId);
      }
      const id = await items.insertMenuItem(trx, {
        title: input.title,
        price: input.price,
        category_id: input.categoryId,
        featured: input.featured ?? false,
        description: input.description ?? "",
      });
      return toMenuItem((await items.findMenuItem(trx, id))!);
    }),
  );
}
