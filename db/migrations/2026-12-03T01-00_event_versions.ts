import { type Kysely, sql } from "kysely";

// Versions order the changes that travel as events (an event's `time` decides nothing): each row whose
// changes are events carries `version`, raised under the row's lock by the transaction that changes it,
// and each consumer keeps, beside its own rows, the newest version it has applied of the other side.
// Dead letters keep the body as received (any bytes), so a letter whose data is not JSON is kept too.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("orders")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn("delivery_version", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`delivery_version >= 0`),
    )
    .execute();
  await db.schema
    .alterTable("deliveries")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn("order_version", "integer", (c) => c.notNull().defaultTo(0).check(sql`order_version >= 0`))
    .execute();
  await db.schema
    .alterTable("menu_items")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .execute();
  await db.schema
    .alterTable("cart_items")
    .addColumn("menu_version", "integer", (c) => c.notNull().defaultTo(0).check(sql`menu_version >= 0`))
    .execute();
  // Reconciliation (each consumer's PingSource tick) reads only recently changed rows and open
  // deliveries, through these, so it stays cheap at a million orders.
  await db.schema.createIndex("orders_updated_idx").on("orders").column("updated_at").execute();
  await db.schema.createIndex("deliveries_updated_idx").on("deliveries").column("updated_at").execute();
  await sql`create index deliveries_open_idx on deliveries (order_id) where status not in ('delivered', 'cancelled')`.execute(
    db,
  );
  await db.schema.createIndex("menu_items_updated_idx").on("menu_items").column("updated_at").execute();
  await db.schema.alterTable("dead_letters").addColumn("body", "bytea").execute();
  await db.schema.alterTable("dead_letters").addColumn("content_type", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("dead_letters").dropColumn("content_type").dropColumn("body").execute();
  for (const index of [
    "menu_items_updated_idx",
    "deliveries_open_idx",
    "deliveries_updated_idx",
    "orders_updated_idx",
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable("cart_items").dropColumn("menu_version").execute();
  await db.schema.alterTable("menu_items").dropColumn("version").execute();
  await db.schema.alterTable("deliveries").dropColumn("order_version").dropColumn("version").execute();
  await db.schema.alterTable("orders").dropColumn("delivery_version").dropColumn("version").execute();
}
