import type { PageCount, PageSlice } from "../../shared/db/page.ts";
import type { MenuDeps } from "./internal.ts";
import * as items from "./repository.ts";
import type { MenuItem, MenuItemQuery } from "./schemas.ts";
import { toMenuItem } from "./view.ts";

/** One page of the menu as filtered and ordered, with the count; one database round trip. */
export async function listMenuItems(
  deps: MenuDeps,
  query: MenuItemQuery,
): Promise<{ count: PageCount; slice: PageSlice<MenuItem> }> {
  const { count, slice } = await items.listMenuItems(deps.db, query.filter, query.ordering, query.page);
  return { count, slice: { ...slice, results: slice.results.map(toMenuItem) } };
}
