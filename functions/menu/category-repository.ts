import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { CategoriesTable, Database } from "../../shared/db/types.ts";
import type { OrderTerm, PageRequest } from "../../shared/http/index.ts";

export type CategoryRow = Selectable<CategoriesTable>;
export type CategoryColumn = "id" | "slug" | "title";

type Db = Kysely<Database> | Transaction<Database>;

/** One page of categories and the total, in one statement (see menuItemListQuery for the shape). */
export async function listCategories(
  db: Kysely<Database>,
  ordering: OrderTerm<CategoryColumn>[],
  page: PageRequest,
): Promise<{ count: number; rows: CategoryRow[] }> {
  const terms: OrderTerm<CategoryColumn>[] = ordering.some((t) => t.column === "id")
    ? ordering
    : [...ordering, { column: "id", direction: ordering.at(-1)?.direction ?? "asc" }];
  const pageQuery = terms
    .reduce((q, t) => q.orderBy(t.column, t.direction), db.selectFrom("categories").selectAll())
    .limit(page.perpage)
    .offset(page.offset);
  const rows = await terms
    .reduce(
      (q, t) => q.orderBy(`page.${t.column}`, t.direction),
      db
        .with("page", () => pageQuery)
        .with("total", (qc) => qc.selectFrom("categories").select(sql<number>`count(*)::int`.as("n")))
        .selectFrom("total")
        .leftJoin("page", (join) => join.onTrue())
        .selectAll("page")
        .select("total.n"),
    )
    .execute();
  return {
    count: rows[0]?.n ?? 0,
    rows: rows.flatMap((r) => (r.id === null ? [] : [{ id: r.id, slug: r.slug!, title: r.title! }])),
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
