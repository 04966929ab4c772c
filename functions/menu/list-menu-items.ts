import type { MenuDeps } from "./deps.ts";
import type { MenuItemQuery } from "./input.ts";
import * as items from "./repository.ts";
import { type MenuItem, toMenuItem } from "./shapes.ts";

/** One page of the menu as filtered and ordered, with the total; one database round trip. */
export async function listMenuItems(
  deps: MenuDeps,
  query: MenuItemQuery,
): Promise<{ count: number; results: MenuItem[] }> {
  const { count, rows } = await items.listMenuItems(deps.db, query.filter, query.ordering, query.page);
  return { count, results: rows.map(toMenuItem) };
}
