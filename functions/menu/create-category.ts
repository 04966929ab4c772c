import { fieldError } from "../../shared/errors.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./deps.ts";
import type { CategoryInput } from "./input.ts";
import { type Category, toCategory } from "./shapes.ts";

/** Creates a category; a taken slug is a validation error on `slug`. */
export async function createCategory(deps: MenuDeps, input: CategoryInput): Promise<Category> {
  // One statement that does nothing when the slug is taken: a race between two managers is decided by
  // the unique index, never answered 500.
  const row = await categories.insertCategory(deps.db, input);
  if (!row) throw slugTaken(input.slug);
  return toCategory(row);
}

export function slugTaken(slug: string) {
  return fieldError("slug", "is already taken", `A category with the slug "${slug}" already exists.`);
}
