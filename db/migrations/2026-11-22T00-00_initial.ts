import { type Kysely, sql } from "kysely";

// Frozen in time: this file imports no app code and must never change once released.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("username", "varchar(150)", (c) => c.notNull())
    .addColumn("email", "varchar(254)")
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("is_admin", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Usernames are unique regardless of case, as a login form treats them.
  await sql`create unique index users_username_key on users (lower(username))`.execute(db);

  await db.schema
    .createTable("user_groups")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("group_name", "text", (c) =>
      c.notNull().check(sql`group_name in ('manager', 'delivery-crew')`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("user_groups_pkey", ["user_id", "group_name"])
    .execute();
  await db.schema
    .createIndex("user_groups_group_idx")
    .on("user_groups")
    .columns(["group_name", "user_id"])
    .execute();

  await db.schema
    .createTable("refresh_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("family_id", "uuid", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("refresh_tokens_family_idx").on("refresh_tokens").column("family_id").execute();
  await db.schema.createIndex("refresh_tokens_user_idx").on("refresh_tokens").column("user_id").execute();

  await db.schema
    .createTable("login_failures")
    .addColumn("username", "varchar(150)", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn("window_started_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_failed_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("categories")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("slug", "varchar(255)", (c) => c.notNull().unique())
    .addColumn("title", "varchar(255)", (c) => c.notNull())
    .execute();
  await sql`create index categories_title_idx on categories (lower(title))`.execute(db);

  await db.schema
    .createTable("menu_items")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("title", "varchar(255)", (c) => c.notNull())
    .addColumn("price", "numeric(10, 2)", (c) => c.notNull().check(sql`price >= 0`))
    .addColumn("featured", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("category_id", "integer", (c) => c.notNull().references("categories.id").onDelete("restrict"))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("menu_items_category_price_idx")
    .on("menu_items")
    .columns(["category_id", "price", "id"])
    .execute();
  await db.schema.createIndex("menu_items_price_idx").on("menu_items").columns(["price", "id"]).execute();
  await db.schema.createIndex("menu_items_title_idx").on("menu_items").columns(["title", "id"]).execute();
  await sql`create index menu_items_featured_idx on menu_items (id) where featured`.execute(db);

  await db.schema
    .createTable("cart_items")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("menuitem_id", "integer", (c) => c.notNull().references("menu_items.id").onDelete("cascade"))
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity between 1 and 99`))
    .addColumn("unit_price", "numeric(10, 2)", (c) => c.notNull().check(sql`unit_price >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("cart_items_user_menuitem_key", ["user_id", "menuitem_id"])
    .execute();
  await db.schema.createIndex("cart_items_menuitem_idx").on("cart_items").column("menuitem_id").execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("restrict"))
    .addColumn("delivery_crew_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('placed', 'assigned', 'out_for_delivery', 'delivered', 'cancelled')`),
    )
    .addColumn("total", "numeric(12, 2)", (c) => c.notNull().check(sql`total >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("orders_user_idx").on("orders").columns(["user_id", "created_at"]).execute();
  await db.schema
    .createIndex("orders_crew_idx")
    .on("orders")
    .columns(["delivery_crew_id", "created_at"])
    .execute();
  await db.schema.createIndex("orders_status_idx").on("orders").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("order_items")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("order_id", "integer", (c) => c.notNull().references("orders.id").onDelete("cascade"))
    .addColumn("menuitem_id", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(255)", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity between 1 and 99`))
    .addColumn("unit_price", "numeric(10, 2)", (c) => c.notNull().check(sql`unit_price >= 0`))
    .addColumn("price", "numeric(12, 2)", (c) => c.notNull().check(sql`price = unit_price * quantity`))
    .addUniqueConstraint("order_items_order_menuitem_key", ["order_id", "menuitem_id"])
    .execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("key", "varchar(255)", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("response_status", "integer")
    .addColumn("response_body", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("idempotency_keys_pkey", ["user_id", "key"])
    .execute();
  await db.schema
    .createIndex("idempotency_keys_created_idx")
    .on("idempotency_keys")
    .column("created_at")
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("order_id", "integer", (c) => c.primaryKey())
    .addColumn("delivery_crew_id", "integer")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('unassigned', 'placed', 'assigned', 'out_for_delivery', 'delivered', 'cancelled')`,
        ),
    )
    .addColumn("assigned_at", "timestamptz")
    .addColumn("picked_up_at", "timestamptz")
    .addColumn("delivered_at", "timestamptz")
    .addColumn("cancelled_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("deliveries_crew_idx")
    .on("deliveries")
    .columns(["delivery_crew_id", "status"])
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'sent', 'abandoned')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn("lease_until", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .execute();
  await sql`create index outbox_pending_idx on outbox (source, created_at) where status = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable("processed_events")
    .addColumn("consumer", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("processed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("processed_events_pkey", ["consumer", "source", "event_id"])
    .execute();

  await db.schema
    .createTable("dead_letters")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("consumer", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("attributes", "jsonb", (c) => c.notNull())
    .addColumn("data", "jsonb")
    .addColumn("error_code", "text")
    .addColumn("error_dest", "text")
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("replayed_at", "timestamptz")
    .addUniqueConstraint("dead_letters_event_key", ["consumer", "source", "event_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "dead_letters",
    "processed_events",
    "outbox",
    "deliveries",
    "idempotency_keys",
    "order_items",
    "orders",
    "cart_items",
    "menu_items",
    "categories",
    "login_failures",
    "refresh_tokens",
    "user_groups",
    "users",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
