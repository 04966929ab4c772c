import { AppError } from "../../shared/errors.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./deps.ts";
import { type Category, toCategory } from "./shapes.ts";

/** One category; not_found when there is none. */
export async function getCategory(deps: MenuDeps, id: number): Promise<Category> {
  const row = await categories.findCategory(deps.db, id);
  if (!row) throw categoryNotFound(id);
  return toCategory(row);
}

export function categoryNotFound(id: number): AppError {
  return new AppError("not_found", `There is no category with id ${id}.`);
}

/** The validation error for a menu item naming a category that does not exist. */
export function unknownCategory(field: string, id: number): AppError {
  return new AppError("validation", `There is no category with id ${id}.`, {
    errors: [{ path: field, message: "does not name an existing category" }],
  });
}
