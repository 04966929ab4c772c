// `npx node bench/menu-explain.ts`: EXPLAIN ANALYZE of the menu list query on a 10,000-item menu, for
// each kind of filter and ordering. On PGlite by default; with DATABASE_URL it makes (and drops) its own
// database on that server, never touching existing data.

import { PGlite } from "@electric-sql/pglite";
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { type MenuItemFilter, menuItemListQuery } from "../functions/menu/repository.ts";
import { migrateToLatest } from "../shared/db/migrate.ts";
import type { Database } from "../shared/db/types.ts";
import type { OrderTerm } from "../shared/http/index.ts";

const ITEMS = 10_000;
const CATEGORIES = 25;
const none: MenuItemFilter = {
  category: undefined,
  featured: undefined,
  search: undefined,
  minPrice: undefined,
  maxPrice: undefined,
};

type Case = [label: string, filter: MenuItemFilter, ordering: OrderTerm<"price" | "title" | "id">[]];
const CASES: Case[] = [
  ["no filter, default order (id)", none, []],
  ["no filter, ?ordering=-price", none, [{ column: "price", direction: "desc" }]],
  ["no filter, ?ordering=title", none, [{ column: "title", direction: "asc" }]],
  [
    "?category=<slug>&ordering=price",
    { ...none, category: { id: undefined, name: "cat-7" } },
    [{ column: "price", direction: "asc" }],
  ],
  ["?featured=true", { ...none, featured: true }, []],
  [
    "?min_price=10&max_price=12&ordering=price",
    { ...none, minPrice: "10.00", maxPrice: "12.00" },
    [{ column: "price", direction: "asc" }],
  ],
  ["?search=dish 12", { ...none, search: "dish 12" }, []],
];

async function open(): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: await PGlite.create() }) });
    return { db, close: () => db.destroy() };
  }
  const name = `tavola_explain_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.toString(), max: 1 }) }),
  });
  return {
    db,
    close: async () => {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const { db, close } = await open();
try {
  await migrateToLatest(db);
  await sql`insert into categories (slug, title)
    select 'cat-' || g, 'Category ' || g from generate_series(1, ${CATEGORIES}) g`.execute(db);
  await sql`insert into menu_items (title, price, featured, category_id, description)
    select 'Dish ' || g, ((g * 37) % 5000) / 100.0 + 1, g % 50 = 0,
           (select id from categories order by id offset (g % ${CATEGORIES}) limit 1), ''
    from generate_series(1, ${ITEMS}) g`.execute(db);
  await sql`vacuum analyze`.execute(db);
  for (const [label, filter, ordering] of CASES) {
    const query = menuItemListQuery(db, filter, ordering, { page: 2, perpage: 20, offset: 20 }).compile();
    const plan = await db.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain (analyze, costs off, timing off, summary off) ${query.sql}`, [
        ...query.parameters,
      ]),
    );
    process.stdout.write(`\n### ${label}\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n`);
  }
} finally {
  await close();
}
