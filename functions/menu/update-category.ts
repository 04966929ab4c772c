import { sqlState } from "../../shared/db/index.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./internal.ts";
import { categoryNotFound, slugTaken } from "./internal.ts";
import type { Category, CategoryChanges } from "./schemas.ts";
import { toCategory } from "./view.ts";

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
