import * as categories from "./category-repository.ts";
import { type MenuDeps, slugTaken } from "./internal.ts";
import type { Category, CategoryInput } from "./schemas.ts";
import { toCategory } from "./view.ts";

/** Creates a category; a taken slug is a validation error on `slug`. */
export async function createCategory(deps: MenuDeps, input: CategoryInput): Promise<Category> {
  // One statement that does nothing when the slug is taken: a race between two managers is decided by
  // the unique index, never answered 500.
  const row = await categories.insertCategory(deps.db, input);
  if (!row) throw slugTaken(input.slug);
  return toCategory(row);
}
