import { type MenuDeps, menuItemNotFound } from "./internal.ts";
import * as items from "./repository.ts";
import type { MenuItem } from "./schemas.ts";
import { toMenuItem } from "./view.ts";

/** One menu item with its category; not_found when there is none. */
export async function getMenuItem(deps: MenuDeps, id: number): Promise<MenuItem> {
  const row = await items.findMenuItem(deps.db, id);
  if (!row) throw menuItemNotFound(id);
  return toMenuItem(row);
}
