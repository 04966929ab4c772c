import { CompiledQuery, type Kysely, sql } from "kysely";
import type { OrderTerm } from "../../shared/db/page.ts";
import type { Database } from "../../shared/db/types.ts";
import { type MenuItemColumn, type MenuItemFilter, menuItemListQuery } from "./repository.ts";

// For the list query's plan test and bench/menu-explain.ts: a large menu and the plan of its list query.

/** No filter at all; spread it and set the one under test. */
export const NO_FILTER: MenuItemFilter = {
  category: undefined,
  featured: undefined,
  search: undefined,
  minPrice: undefined,
  maxPrice: undefined,
};

/**
 * Adds `items` menu items spread over `categories` categories (slugs `cat-1`…), one in 50 featured,
 * prices from 1.00 to 50.99, then refreshes the planner's statistics.
 */
export async function seedLargeMenu(db: Kysely<Database>, items = 10_000, categories = 25): Promise<void> {
  await sql`insert into categories (slug, title)
    select 'cat-' || g, 'Category ' || g from generate_series(1, ${categories}) g`.execute(db);
  await sql`insert into menu_items (title, price, featured, category_id, description)
    select 'Dish ' || g, ((g * 37) % 5000) / 100.0 + 1, g % 50 = 0,
           (select id from categories order by id offset (g % ${categories}) limit 1), ''
    from generate_series(1, ${items}) g`.execute(db);
  await sql`vacuum analyze`.execute(db);
}

/** The plan of the list query for page 2 of 20; with `analyze`, as run, with actual row counts. */
export async function explainListQuery(
  db: Kysely<Database>,
  filter: MenuItemFilter,
  ordering: OrderTerm<MenuItemColumn>[],
  options: { analyze?: boolean } = {},
): Promise<string> {
  const query = menuItemListQuery(db, filter, ordering, {
    page: 2,
    perpage: 20,
    offset: 20,
    cursor: undefined,
  }).compile();
  const how = options.analyze ? "analyze, costs off, timing off, summary off" : "costs off";
  const plan = await db.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`explain (${how}) ${query.sql}`, [...query.parameters]),
  );
  return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
}
