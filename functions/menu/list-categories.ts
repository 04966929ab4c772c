import type { OrderTerm, PageCount, PageRequest, PageSlice } from "../../shared/db/page.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./internal.ts";
import type { Category } from "./schemas.ts";
import { toCategory } from "./view.ts";

/** One page of categories, with the count. */
export async function listCategories(
  deps: MenuDeps,
  input: { ordering: OrderTerm<categories.CategoryColumn>[]; page: PageRequest },
): Promise<{ count: PageCount; slice: PageSlice<Category> }> {
  const { count, slice } = await categories.listCategories(deps.db, input.ordering, input.page);
  return { count, slice: { ...slice, results: slice.results.map(toCategory) } };
}
