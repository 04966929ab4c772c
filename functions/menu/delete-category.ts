import { sqlState } from "../../shared/db/index.ts";
import { AppError } from "../../shared/errors.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./internal.ts";
import { categoryNotFound } from "./internal.ts";

/**
 * Deletes a category. One that still has menu items is a conflict: the foreign key (ON DELETE RESTRICT)
 * refuses it, which also covers an item added concurrently, where a check before the delete would not.
 */
export async function deleteCategory(deps: MenuDeps, id: number): Promise<void> {
  let deleted: boolean;
  try {
    deleted = await categories.deleteCategory(deps.db, id);
  } catch (error) {
    // ON DELETE RESTRICT reports 23001 (restrict_violation); 23503 if the key is ever made NO ACTION.
    const state = sqlState(error);
    if (state === "23001" || state === "23503") {
      throw new AppError("conflict", `The category ${id} still has menu items; move or delete them first.`);
    }
    throw error;
  }
  if (!deleted) throw categoryNotFound(id);
}
