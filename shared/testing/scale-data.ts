import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";

// A realistic data set of a given size, built in a few statements with generate_series, for the list
// plan tests and `npm run bench -- --scale`. It adds to whatever the database holds (ids follow the
// tables' sequences), so a test can build it in its own fresh database.

export interface ScaleSize {
  orders: number;
  /** Customers placing them; default one per five orders, at least 100, at most 200,000. */
  users?: number;
  /** Menu items (10,000 by default, as at every size of the measurement). */
  menuItems?: number;
  /** Lines per order (4 by default). */
  linesPerOrder?: number;
  /** Outbox rows and processed events per function (one per order, at most 250,000, by default). */
  events?: number;
}

/** What `seedScale` built: the users a test or the bench acts as. */
export interface ScaleData {
  managerId: number;
  /** Crew members; the first one carries the most deliveries. */
  crewIds: number[];
  /** A customer with orders. */
  customerId: number;
  rows: Record<string, number>;
}

export const SCALE_CREW = 50;
/** Functions whose outbox and processed events the data set fills (one week of them). */
const SOURCES = ["order", "delivery", "menu", "cart"];

/**
 * Builds `size.orders` orders over the last 30 days (95% delivered, 2% cancelled, the rest open), their
 * lines and deliveries, their customers and 50 crew members, a 10,000-item menu, a week and a day of
 * sent outbox rows and processed events (one per order, at most 250,000 per source), and refresh tokens
 * (half expired); then analyzes every table so the planner sees the sizes.
 */
export async function seedScale(db: Kysely<Database>, size: ScaleSize): Promise<ScaleData> {
  const orders = size.orders;
  const users = size.users ?? Math.min(200_000, Math.max(100, Math.floor(orders / 5)));
  const items = size.menuItems ?? 10_000;
  const lines = size.linesPerOrder ?? 4;
  const events = size.events ?? Math.min(orders, 250_000);
  const run = (query: ReturnType<typeof sql>) => query.execute(db);

  const firstUser = await nextId(db, "users");
  await run(sql`insert into users (id, username, email, password_hash) overriding system value
    select ${firstUser}::int + g, 'scale_' || ${firstUser}::int + g, null, '!scale'
    from generate_series(0, ${users + SCALE_CREW}) g`);
  const managerId = firstUser;
  const crewIds = Array.from({ length: SCALE_CREW }, (_, i) => firstUser + 1 + i);
  const firstCustomer = firstUser + 1 + SCALE_CREW;
  await run(sql`insert into user_groups (user_id, group_name) values (${managerId}, 'manager')`);
  await run(sql`insert into user_groups (user_id, group_name)
    select ${crewIds[0]!}::int + g, 'delivery-crew' from generate_series(0, ${SCALE_CREW - 1}) g`);

  const firstCategory = await nextId(db, "categories");
  await run(sql`insert into categories (id, slug, title)
    select ${firstCategory}::int + g, 'scale-cat-' || ${firstCategory}::int + g, 'Category ' || g
    from generate_series(0, 24) g`);
  const firstItem = await nextId(db, "menu_items");
  await run(sql`insert into menu_items (id, title, price, featured, category_id, description)
    select ${firstItem}::int + g, 'Dish ' || g, ((g * 37) % 5000) / 100.0 + 1, g % 50 = 0, ${firstCategory}::int + g % 25, ''
    from generate_series(0, ${items - 1}) g`);

  // Order g: customer g mod users, crew member by a skewed pick (the first carries the most), created
  // g minutes' share of 30 days ago; every 20th open, every 50th cancelled.
  const firstOrder = await nextId(db, "orders");
  await run(sql`insert into orders (id, user_id, delivery_crew_id, status, total, created_at, updated_at)
    overriding system value
    select ${firstOrder}::int + g, ${firstCustomer}::int + g % ${users},
      case when g % 20 = 1 then null when g % 4 = 0 then ${crewIds[0]!}::int
           else ${crewIds[0]!}::int + g % ${SCALE_CREW} end,
      case when g % 20 = 1 then 'placed' when g % 20 = 2 then 'assigned'
           when g % 20 = 3 then 'out_for_delivery' when g % 50 = 4 then 'cancelled' else 'delivered' end,
      (g % 9000) / 100.0 + 5,
      now() - make_interval(secs => (${orders}::int - g) * (2592000.0 / ${orders})),
      now() - make_interval(secs => (${orders}::int - g) * (2592000.0 / ${orders}))
    from generate_series(0, ${orders - 1}) g`);
  await run(sql`insert into order_items (order_id, menuitem_id, title, quantity, unit_price, price)
    select ${firstOrder}::int + g, ${firstItem}::int + (g * ${lines} + l) % ${items}, 'Dish', 1, 5.00, 5.00
    from generate_series(0, ${orders - 1}) g, generate_series(0, ${lines - 1}) l`);
  await run(sql`insert into deliveries (order_id, delivery_crew_id, status, created_at, updated_at)
    select id, delivery_crew_id, status, created_at, updated_at from orders
    where id >= ${firstOrder} and id < ${firstOrder + orders}`);

  // A week and a day of events: the oldest day is past the retention the ticks prune.
  await run(sql`insert into outbox (id, source, type, subject, data, status, attempts, created_at, sent_at)
    select gen_random_uuid(), s, 'tavola.scale.event', 'orders/' || g, '{}'::jsonb, 'sent', 1,
      now() - make_interval(secs => g * (691200.0 / ${events})),
      now() - make_interval(secs => g * (691200.0 / ${events}))
    from unnest(${SOURCES}::text[]) s, generate_series(0, ${events - 1}) g`);
  await run(sql`insert into processed_events (consumer, source, event_id, type, processed_at)
    select c, 'scale', 'e-' || g, 'tavola.scale.event', now() - make_interval(secs => g * (691200.0 / ${events}))
    from unnest(${SOURCES}::text[]) c, generate_series(0, ${events - 1}) g`);
  await run(sql`insert into refresh_tokens (family_id, user_id, token_hash, expires_at)
    select gen_random_uuid(), ${firstCustomer}::int + g % ${users}, 'scale-' || gen_random_uuid(),
      now() + make_interval(days => 7 - g % 16)
    from generate_series(0, ${Math.min(users, 100_000) - 1}) g`);

  for (const table of ["users", "categories", "menu_items", "orders"] as const) {
    await run(
      sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`,
    );
  }
  await run(sql`vacuum analyze`);
  const counts = await sql<{ table: string; n: string }>`
    select relname as table, n_live_tup::text as n from pg_stat_user_tables`.execute(db);
  return {
    managerId,
    crewIds,
    customerId: firstCustomer,
    rows: Object.fromEntries(counts.rows.map((r) => [r.table, Number(r.n)])),
  };
}

/** The first id after every row of a table (its rows are inserted with explicit ids, then the sequence set). */
async function nextId(db: Kysely<Database>, table: "users" | "categories" | "menu_items" | "orders") {
  const row = await sql<{ next: number }>`select coalesce(max(id), 0)::int + 1 as next from ${sql.table(
    table,
  )}`.execute(db);
  return row.rows[0]!.next;
}
