import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { countCapped } from "../../shared/db/count.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../shared/db/keyset.ts";
import type { OrderTerm, PageCount, PageRequest, PageSlice } from "../../shared/db/page.ts";
import type { CategoriesTable, Database } from "../../shared/db/types.ts";

export type CategoryRow = Selectable<CategoriesTable>;
export type CategoryColumn = "id" | "slug" | "title";

type Db = Kysely<Database> | Transaction<Database>;

/** One page of categories (keyset, as orders) and how many there are (countCapped). */
export async function listCategories(
  db: Kysely<Database>,
  ordering: OrderTerm<CategoryColumn>[],
  page: PageRequest,
): Promise<{ count: PageCount; slice: PageSlice<CategoryRow> }> {
  const terms: OrderTerm<CategoryColumn>[] = ordering.some((t) => t.column === "id")
    ? ordering
    : [...ordering, { column: "id", direction: ordering.at(-1)?.direction ?? "asc" }];
  const parts: SortPart[] = terms.map((t) => ({
    expr: sql.ref(`categories.${t.column}`),
    direction: t.direction,
  }));
  let query = db.selectFrom("categories").selectAll().select(sortKeyColumn(parts).as("_key"));
  if (page.cursor) query = query.where(afterCursor(parts, page.cursor, page));
  for (const part of readOrder(parts, page)) query = query.orderBy(part.expr, part.direction);
  const [count, rows] = await Promise.all([
    countCapped(db, db.selectFrom("categories")),
    query
      .limit(page.perpage + 1)
      .offset(page.offset)
      .execute(),
  ]);
  const slice = toSlice(rows, page);
  return {
    count,
    slice: { ...slice, results: slice.results.map(({ id, slug, title }) => ({ id, slug, title })) },
  };
}

export async function findCategory(db: Db, id: number): Promise<CategoryRow | undefined> {
  return db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Inserts a category; undefined when the slug is taken (no error, so no aborted transaction). */
export async function insertCategory(
  db: Db,
  values: { slug: string; title: string },
): Promise<CategoryRow | undefined> {
  return db
    .insertInto("categories")
    .values(values)
    .onConflict((oc) => oc.column("slug").doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Applies the changes; undefined when there is no such category. A taken slug throws 23505. */
export async function updateCategory(
  db: Db,
  id: number,
  changes: { slug?: string; title?: string },
): Promise<CategoryRow | undefined> {
  if (Object.keys(changes).length === 0) return findCategory(db, id);
  return db.updateTable("categories").set(changes).where("id", "=", id).returningAll().executeTakeFirst();
}

/** Deletes a category; false when there was none. One that still has items throws 23503. */
export async function deleteCategory(db: Db, id: number): Promise<boolean> {
  const row = await db.deleteFrom("categories").where("id", "=", id).returning("id").executeTakeFirst();
  return row !== undefined;
}
