import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import { countCapped, EXACT_COUNT_CAP } from "../../shared/db/count.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../shared/db/keyset.ts";
import type { OrderTerm, PageRequest } from "../../shared/db/page.ts";
import { badCursor, type PageCount, type PageSlice } from "../../shared/db/page.ts";
import { shapedQuery } from "../../shared/db/query-shapes.ts";
import type { Database } from "../../shared/db/types.ts";

// Menu items, read with their category. Category queries live in category-repository.ts.

export type MenuItemColumn = "price" | "title" | "id";

export interface MenuItemFilter {
  /** `id` is set when the value could be an id; it matches by id, slug or title (any case). */
  category: { id: number | undefined; name: string } | undefined;
  featured: boolean | undefined;
  /** Text looked for in the item's title or its category's title, case-insensitively. */
  search: string | undefined;
  minPrice: string | undefined;
  maxPrice: string | undefined;
}

/** A menu item row joined with its category. */
export interface MenuItemJoined {
  id: number;
  title: string;
  price: string;
  featured: boolean;
  description: string;
  category_id: number;
  category_slug: string;
  category_title: string;
}

export interface MenuItemValues {
  title: string;
  price: string;
  category_id: number;
  featured: boolean;
  description: string;
}

/** `%` and `_` in the user's text match themselves, not any character. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * What decides the list query's text: which filters are set, and the order. Everything else is a value
 * (`ListValues`), so each shape is built and compiled once (shapedQuery).
 */
interface ListShape {
  /** No category filter, one by slug or title, or one that may also be an id. */
  category: "none" | "name" | "id-or-name";
  featured: boolean | undefined;
  search: boolean;
  minPrice: boolean;
  maxPrice: boolean;
  ordering: OrderTerm<MenuItemColumn>[];
  /** Whether the page follows a cursor, and which way it reads. */
  cursor: "none" | "next" | "previous";
}

interface ListValues {
  categoryId: number | undefined;
  categoryName: string | undefined;
  /** The ILIKE pattern of the search text. */
  pattern: string | undefined;
  minPrice: string | undefined;
  maxPrice: string | undefined;
  limit: number;
  offset: number;
  /** The cursor's key, one value per sort key part (at most six: five terms and the id). */
  key0: string | undefined;
  key1: string | undefined;
  key2: string | undefined;
  key3: string | undefined;
  key4: string | undefined;
  key5: string | undefined;
}

const KEY_SLOTS = ["key0", "key1", "key2", "key3", "key4", "key5"] as const;

function listShape(
  filter: MenuItemFilter,
  ordering: OrderTerm<MenuItemColumn>[],
  page: PageRequest,
): ListShape {
  const category = filter.category;
  const terms = withIdTiebreak(ordering);
  if (page.cursor && page.cursor.key.length !== terms.length) throw badCursor();
  return {
    category: category === undefined ? "none" : category.id === undefined ? "name" : "id-or-name",
    featured: filter.featured,
    search: filter.search !== undefined,
    minPrice: filter.minPrice !== undefined,
    maxPrice: filter.maxPrice !== undefined,
    ordering: terms,
    cursor: page.cursor?.direction ?? "none",
  };
}

function listValues(filter: MenuItemFilter, page: PageRequest): ListValues {
  return {
    categoryId: filter.category?.id,
    categoryName: filter.category?.name,
    pattern: filter.search === undefined ? undefined : containsPattern(filter.search),
    minPrice: filter.minPrice,
    maxPrice: filter.maxPrice,
    limit: page.perpage + 1,
    offset: page.offset,
    key0: page.cursor?.key[0],
    key1: page.cursor?.key[1],
    key2: page.cursor?.key[2],
    key3: page.cursor?.key[3],
    key4: page.cursor?.key[4],
    key5: page.cursor?.key[5],
  };
}

// Every filter names menu_items columns only (categories through subqueries), so the count needs no join
// and the page query can walk an index of menu_items in the requested order.
function filtered<O>(
  items: SelectQueryBuilder<Database, "menu_items", O>,
  shape: ListShape,
  values: ListValues,
): SelectQueryBuilder<Database, "menu_items", O> {
  return items.where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (shape.category !== "none") {
      // A scalar subquery (one category), so the planner can walk (category_id, price, id) in order; a
      // set of categories (`in`) would make it filter a walk of the whole menu instead.
      conditions.push(eb("menu_items.category_id", "=", oneCategory(eb, shape, values)));
    }
    // Written as a bare column (not `= $1`) so the partial index `where featured` applies to any plan.
    if (shape.featured !== undefined) {
      const featured = eb.ref("menu_items.featured");
      conditions.push(shape.featured ? featured : eb.not(featured));
    }
    if (shape.search) {
      // Both sides answer from an index: the title through its trigram index, the category through
      // (category_id, …) given an array computed once (`= any(array(…))`, not `in (subquery)`, which the
      // planner can only run per row) from the categories' trigram index.
      const inCategories = sql`array(select categories.id from categories where categories.title ilike ${values.pattern!})`;
      conditions.push(
        eb.or([
          eb("menu_items.title", "ilike", values.pattern!),
          sql<SqlBool>`menu_items.category_id = any(${inCategories})`,
        ]),
      );
    }
    if (shape.minPrice) conditions.push(eb("menu_items.price", ">=", values.minPrice!));
    if (shape.maxPrice) conditions.push(eb("menu_items.price", "<=", values.maxPrice!));
    return eb.and(conditions);
  });
}

/**
 * The category a `?category=` value names: the one with that id if the value is one, else the one with
 * that slug, else the one with that title in any case (the lowest id if several share it).
 */
function oneCategory(eb: ExpressionBuilder<Database, "menu_items">, shape: ListShape, values: ListValues) {
  const byId = shape.category === "id-or-name";
  // An id match outranks a slug match, which outranks a title match.
  const ranks = [
    ...(byId ? [sql<boolean>`categories.id = ${values.categoryId}`] : []),
    sql<boolean>`categories.slug = ${values.categoryName}`,
  ];
  return ranks
    .reduce(
      (q, rank) => q.orderBy(rank, "desc"),
      eb
        .selectFrom("categories")
        .select("categories.id")
        .where((c) =>
          c.or([
            ...(byId ? [c("categories.id", "=", values.categoryId!)] : []),
            c("categories.slug", "=", values.categoryName!),
            c(c.fn("lower", ["categories.title"]), "=", c.fn("lower", [c.val(values.categoryName!)])),
          ]),
        ),
    )
    .orderBy("categories.id")
    .limit(1);
}

function withCategory<O>(items: SelectQueryBuilder<Database, "menu_items", O>) {
  return items
    .innerJoin("categories", "categories.id", "menu_items.category_id")
    .select([
      "menu_items.id",
      "menu_items.title",
      "menu_items.price",
      "menu_items.featured",
      "menu_items.description",
      "menu_items.category_id",
      "categories.slug as category_slug",
      "categories.title as category_title",
    ]);
}

/** The order a list is read in: the requested terms, then id, so that pages never overlap. */
export function withIdTiebreak(ordering: OrderTerm<MenuItemColumn>[]): OrderTerm<MenuItemColumn>[] {
  if (ordering.some((term) => term.column === "id")) return ordering;
  // The tiebreak follows the last term's direction, so `-price` can walk (price, id) backwards.
  const direction = ordering.at(-1)?.direction ?? "asc";
  return [...ordering, { column: "id", direction }];
}

function sortKey(shape: ListShape, table: "menu_items" | "page"): SortPart[] {
  return shape.ordering.map((t) => ({ expr: sql.ref(`${table}.${t.column}`), direction: t.direction }));
}

/**
 * The list query: one statement computing the page (seeking to the cursor along an index in the
 * requested order and reading one row past the page's end) and the count, capped at EXACT_COUNT_CAP + 1
 * rows, in the same snapshot, so a request is one round trip. An empty page still yields one row, which
 * carries the count.
 */
function buildList(db: Kysely<Database>, shape: ListShape, values: ListValues) {
  const parts = sortKey(shape, "menu_items");
  // The cursor's direction is part of the shape; its key's values are bound from `values`.
  const read: PageRequest = {
    page: 1,
    perpage: 0,
    offset: 0,
    cursor: shape.cursor === "none" ? undefined : { direction: shape.cursor, key: parts.map(() => "") },
  };
  let pageQuery = withCategory(filtered(db.selectFrom("menu_items"), shape, values)).select(
    sortKeyColumn(parts).as("_key"),
  );
  if (read.cursor)
    pageQuery = pageQuery.where(afterCursor(parts, read.cursor, read, (i) => values[KEY_SLOTS[i]!]));
  for (const part of readOrder(parts, read)) pageQuery = pageQuery.orderBy(part.expr, part.direction);
  const capped = filtered(db.selectFrom("menu_items"), shape, values)
    .select(sql<number>`1`.as("one"))
    .limit(EXACT_COUNT_CAP + 1);
  return readOrder(sortKey(shape, "page"), read).reduce(
    (q, part) => q.orderBy(part.expr, part.direction),
    db
      .with("page", () => pageQuery.limit(values.limit).offset(values.offset))
      .with("total", (qc) => qc.selectFrom(capped.as("capped")).select(sql<number>`count(*)::int`.as("n")))
      .selectFrom("total")
      .leftJoin("page", (join) => join.onTrue())
      .selectAll("page")
      .select("total.n"),
  );
}

const listQuery = shapedQuery(buildList);

/** The list query as built for these arguments (for its plan: large-menu.ts). */
export function menuItemListQuery(
  db: Kysely<Database>,
  filter: MenuItemFilter,
  ordering: OrderTerm<MenuItemColumn>[],
  page: PageRequest,
) {
  return buildList(db, listShape(filter, ordering, page), listValues(filter, page));
}

/** One page of menu items and how many match the filter (exact up to EXACT_COUNT_CAP, else estimated). */
export async function listMenuItems(
  db: Kysely<Database>,
  filter: MenuItemFilter,
  ordering: OrderTerm<MenuItemColumn>[],
  page: PageRequest,
): Promise<{ count: PageCount; slice: PageSlice<MenuItemJoined & { _key: string[] }> }> {
  const shape = listShape(filter, ordering, page);
  const rows = await listQuery(db, shape, listValues(filter, page));
  const n = rows[0]?.n ?? 0;
  const count =
    n <= EXACT_COUNT_CAP
      ? { count: n, exact: true }
      : await countCapped(db, filtered(db.selectFrom("menu_items"), shape, listValues(filter, page)));
  const found = rows.filter(
    (row): row is typeof row & MenuItemJoined & { _key: string[] } => row.id !== null,
  );
  return { count, slice: toSlice(found, page) };
}

const findQuery = shapedQuery((db, _shape: null, values: { id: number }) =>
  withCategory(db.selectFrom("menu_items").where("menu_items.id", "=", values.id)),
);

export async function findMenuItem(
  db: Kysely<Database> | Transaction<Database>,
  id: number,
): Promise<MenuItemJoined | undefined> {
  return (await findQuery(db, null, { id }))[0];
}

/** Reads an item's title and price and locks it until the transaction ends. */
export async function lockMenuItem(trx: Transaction<Database>, id: number) {
  return trx
    .selectFrom("menu_items")
    .select(["title", "price"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertMenuItem(trx: Transaction<Database>, values: MenuItemValues): Promise<number> {
  const row = await trx.insertInto("menu_items").values(values).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Applies the changes and answers the title and price the item has now. */
export async function updateMenuItem(
  trx: Transaction<Database>,
  id: number,
  changes: Partial<MenuItemValues>,
): Promise<{ title: string; price: string; version: number }> {
  // The version rises with every change; the caller holds the row's lock (`lockMenuItem`).
  return trx
    .updateTable("menu_items")
    .set({ ...changes, updated_at: sql`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id)
    .returning(["title", "price", "version"])
    .executeTakeFirstOrThrow();
}

/**
 * Deletes an item; its last version, or undefined when there was none. Its cart lines go with it
 * (foreign key cascade).
 */
export async function deleteMenuItem(trx: Transaction<Database>, id: number): Promise<number | undefined> {
  const row = await trx.deleteFrom("menu_items").where("id", "=", id).returning("version").executeTakeFirst();
  return row?.version;
}
