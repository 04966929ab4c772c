import type { OrderTerm, PageRequest } from "../../shared/http/index.ts";
import * as categories from "./category-repository.ts";
import type { MenuDeps } from "./deps.ts";
import { type Category, toCategory } from "./shapes.ts";

/** One page of categories, with the total. */
export async function listCategories(
  deps: MenuDeps,
  input: { ordering: OrderTerm<categories.CategoryColumn>[]; page: PageRequest },
): Promise<{ count: number; results: Category[] }> {
  const { count, rows } = await categories.listCategories(deps.db, input.ordering, input.page);
  return { count, results: rows.map(toCategory) };
}
