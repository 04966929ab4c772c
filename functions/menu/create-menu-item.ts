import { sqlState, withTransaction } from "../../shared/db/index.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./deps.ts";
import { unknownCategory } from "./get-category.ts";
import type { MenuItemInput } from "./input.ts";
import * as items from "./repository.ts";
import { type MenuItem, toMenuItem } from "./shapes.ts";

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

/**
 * Runs a write that names a category, answering the foreign key's refusal (the category was deleted
 * between our check and the write) as the same validation error as a category that never existed.
 */
export async function rejectingVanishedCategory<T>(
  field: string,
  categoryId: number | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (categoryId !== undefined && sqlState(error) === "23503") throw unknownCategory(field, categoryId);
    throw error;
  }
}
