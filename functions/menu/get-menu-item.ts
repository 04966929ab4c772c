import { AppError } from "../../shared/errors.ts";
import type { MenuDeps } from "./deps.ts";
import * as items from "./repository.ts";
import { type MenuItem, toMenuItem } from "./shapes.ts";

/** One menu item with its category; not_found when there is none. */
export async function getMenuItem(deps: MenuDeps, id: number): Promise<MenuItem> {
  const row = await items.findMenuItem(deps.db, id);
  if (!row) throw menuItemNotFound(id);
  return toMenuItem(row);
}

export function menuItemNotFound(id: number): AppError {
  return new AppError("not_found", `There is no menu item with id ${id}.`);
}
