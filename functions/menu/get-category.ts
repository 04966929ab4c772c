import * as categories from "./category-repository.ts";
import { categoryNotFound, type MenuDeps } from "./internal.ts";
import type { Category } from "./schemas.ts";
import { toCategory } from "./view.ts";

/** One category; not_found when there is none. */
export async function getCategory(deps: MenuDeps, id: number): Promise<Category> {
  const row = await categories.findCategory(deps.db, id);
  if (!row) throw categoryNotFound(id);
  return toCategory(row);
}
