import type { Kysely } from "kysely";
import { sqlState } from "../../shared/db/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError, fieldError } from "../../shared/errors.ts";
import type { PendingEventIds } from "../../shared/events/index.ts";

// What the menu's verbs share: their deps and the errors more than one of them raises.

/** What the menu's read verbs need. */
export interface MenuDeps {
  db: Kysely<Database>;
}

/** What its write verbs need: the request's pending events, published after the commit. */
export interface MenuWriteDeps extends MenuDeps {
  pending: PendingEventIds;
}

export function categoryNotFound(id: number): AppError {
  return new AppError("not_found", `There is no category with id ${id}.`);
}

export function menuItemNotFound(id: number): AppError {
  return new AppError("not_found", `There is no menu item with id ${id}.`);
}

/** The validation error for a menu item naming a category that does not exist. */
export function unknownCategory(field: string, id: number): AppError {
  return new AppError("validation", `There is no category with id ${id}.`, {
    errors: [{ path: field, message: "does not name an existing category" }],
  });
}

export function slugTaken(slug: string) {
  return fieldError("slug", "is already taken", `A category with the slug "${slug}" already exists.`);
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
