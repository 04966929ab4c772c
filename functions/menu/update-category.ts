import { sqlState } from "../../shared/db/index.ts";
import * as categories from "./category-repository.ts";
import { slugTaken } from "./create-category.ts";
import type { MenuDeps } from "./deps.ts";
import { categoryNotFound } from "./get-category.ts";
import type { CategoryChanges } from "./input.ts";
import { type Category, toCategory } from "./shapes.ts";

/**
 * Changes a category's slug or title (PUT sends both, PATCH either). One statement: the unique index
 * decides a race for a slug, answered as a validation error on `slug`.
 */
export async function updateCategory(
  deps: MenuDeps,
  input: { id: number; changes: CategoryChanges },
): Promise<Category> {
  let row: categories.CategoryRow | undefined;
  try {
    row = await categories.updateCategory(deps.db, input.id, input.changes);
  } catch (error) {
    if (sqlState(error) === "23505") throw slugTaken(input.changes.slug ?? "");
    throw error;
  }
  if (!row) throw categoryNotFound(input.id);
  return toCategory(row);
}
