// `npx node bench/menu-explain.ts`: EXPLAIN ANALYZE of the menu list query on a 10,000-item menu, for
// each kind of filter and ordering. On PGlite by default; with DATABASE_URL it makes (and drops) its own
// database on that server, never touching existing data.

import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../db/migrate-to-latest.ts";
import { explainListQuery, NO_FILTER as none, seedLargeMenu } from "../functions/menu/large-menu.ts";
import type { MenuItemColumn, MenuItemFilter } from "../functions/menu/repository.ts";
import { openPGlite } from "../shared/db/pglite.ts";
import type { Database } from "../shared/db/types.ts";
import type { OrderTerm } from "../shared/http/index.ts";

type Case = [label: string, filter: MenuItemFilter, ordering: OrderTerm<MenuItemColumn>[]];
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
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: await openPGlite() }) });
    return { db, close: () => db.destroy() };
  }
  const name = `tavola_explain_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
  // The forced drop below may end a connection the pool is still closing; that is expected.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
  await seedLargeMenu(db, 10_000, 25);
  for (const [label, filter, ordering] of CASES) {
    const plan = await explainListQuery(db, filter, ordering, { analyze: true });
    process.stdout.write(`\n### ${label}\n${plan}\n`);
  }
} finally {
  await close();
}
