import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate-to-latest.ts";
import type { Database } from "../../shared/db/types.ts";
import { withDatabase } from "../../shared/testing/template.ts";

// The benchmark's own database on the server: created fresh, migrated, seeded, dropped at the end.

export interface BenchDatabase {
  name: string;
  url: string;
  /** The harness's own pool (seeding, resets between runs, watching for deliveries). */
  db: Kysely<Database>;
  drop(): Promise<void>;
}

export interface SeedSize {
  categories: number;
  itemsPerCategory: number;
  customers: number;
}

/**
 * Creates `tavola_bench_<pid>` (BENCH_DB_PREFIX replaces `tavola_bench_`; BENCH_DATABASE_NAME names it
 * whole), migrates it with the project's migrations, and returns a pool on it.
 */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name =
    process.env.BENCH_DATABASE_NAME ?? `${process.env.BENCH_DB_PREFIX ?? "tavola_bench_"}${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // Dropping the database "with (force)" ends sessions that may still be closing: not an error here.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db);
  return {
    name,
    url,
    db,
    drop: async () => {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface Seeded {
  categoryIds: number[];
  /** The first category's id, slug and title: the menu-list benchmark filters on it. */
  category: { id: number; slug: string; title: string };
  itemIds: number[];
  /** Customers in id order: one token each; each checkout request uses a different one. */
  customers: { id: number; username: string }[];
  manager: { id: number; username: string };
  crew: { id: number; username: string };
}

/**
 * A menu of `categories × itemsPerCategory` items with varied prices (some featured), `customers`
 * users with no groups, one manager and one delivery-crew member. Set-based SQL: seconds, not minutes.
 */
export async function seedBenchData(db: Kysely<Database>, size: SeedSize): Promise<Seeded> {
  await sql`insert into categories (slug, title)
    select 'cat-' || g, 'Category ' || g from generate_series(1, ${size.categories}) g`.execute(db);
  const categories = await db
    .selectFrom("categories")
    .select(["id", "slug", "title"])
    .orderBy("id")
    .execute();
  await sql`insert into menu_items (title, price, category_id, featured, description)
    select 'Dish ' || c.id || '-' || g,
           (((c.id * 37 + g * 101) % 4000) + 150)::numeric / 100,
           c.id, g % 17 = 0, 'A benchmark dish, number ' || g || ' of ' || c.title || '.'
    from categories c cross join generate_series(1, ${size.itemsPerCategory}) g`.execute(db);
  await sql`insert into users (username, email, password_hash)
    select 'bench_' || g, 'bench_' || g || '@example.test', '!bench'
    from generate_series(1, ${size.customers}) g`.execute(db);
  const staff = await db
    .insertInto("users")
    .values([
      { username: "bench_manager", email: null, password_hash: "!bench" },
      { username: "bench_crew", email: null, password_hash: "!bench" },
    ])
    .returning(["id", "username"])
    .execute();
  await db
    .insertInto("user_groups")
    .values([
      { user_id: staff[0]!.id, group_name: "manager" },
      { user_id: staff[1]!.id, group_name: "delivery-crew" },
    ])
    .execute();
  await sql`analyze`.execute(db);
  const items = await db.selectFrom("menu_items").select("id").orderBy("id").execute();
  const customers = await db
    .selectFrom("users")
    .select(["id", "username"])
    .where("username", "like", "bench\\_%")
    .where("id", "not in", [staff[0]!.id, staff[1]!.id])
    .orderBy("id")
    .execute();
  return {
    categoryIds: categories.map((c) => c.id),
    category: categories[0]!,
    itemIds: items.map((i) => i.id),
    customers,
    manager: staff[0]!,
    crew: staff[1]!,
  };
}

/** Empties every cart (before a cart-add run, so every run starts from the same state). */
export async function emptyCarts(db: Kysely<Database>): Promise<void> {
  await sql`truncate cart_items`.execute(db);
}

/**
 * Gives every customer a cart of `lines` distinct items at the menu's price, replacing what was there,
 * so that each checkout request of the next run finds a full cart.
 */
export async function fillCarts(db: Kysely<Database>, lines: number): Promise<void> {
  await sql`truncate cart_items`.execute(db);
  await sql`with menu as (
      select array_agg(id order by id) ids, array_agg(price order by id) prices, count(*)::int n from menu_items
    )
    insert into cart_items (user_id, menuitem_id, quantity, unit_price)
    select u.id, menu.ids[1 + (u.id * 7 + k * 13) % menu.n], 1 + (u.id + k) % 3, menu.prices[1 + (u.id * 7 + k * 13) % menu.n]
    from users u cross join menu cross join generate_series(0, ${lines - 1}) k
    where u.username like 'bench\\_%' and not exists (select 1 from user_groups g where g.user_id = u.id)
    on conflict (user_id, menuitem_id) do nothing`.execute(db);
  await sql`vacuum analyze cart_items`.execute(db);
}
