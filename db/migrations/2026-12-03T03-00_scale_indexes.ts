import { type Kysely, sql } from "kysely";

// Frozen in time: this file imports no app code and must never change once released.
//
// Indexes so that every list walks its ordering from the first row of the page and stops at its end,
// every count reads at most a capped number of index entries, housekeeping finds old rows without a
// scan, /metrics counts pending rows only, and menu search uses trigram indexes.

/** The open-first key of the deliveries list: open ones (true) before closed ones, all descending. */
const OPEN = "(status not in ('delivered', 'cancelled'))";

export async function up(db: Kysely<any>): Promise<void> {
  // Orders: each ordering with the id tiebreak, alone, after a status filter, after a customer or crew.
  await sql`drop index if exists orders_user_idx`.execute(db);
  await sql`drop index if exists orders_crew_idx`.execute(db);
  await sql`drop index if exists orders_status_idx`.execute(db);
  await sql`create index orders_created_idx on orders (created_at, id)`.execute(db);
  await sql`create index orders_total_idx on orders (total, id)`.execute(db);
  await sql`create index orders_status_created_idx on orders (status, created_at, id)`.execute(db);
  await sql`create index orders_status_total_idx on orders (status, total, id)`.execute(db);
  await sql`create index orders_user_created_idx on orders (user_id, created_at, id)`.execute(db);
  await sql`create index orders_crew_created_idx on orders (delivery_crew_id, created_at, id)`.execute(db);
  // order_items is read by order for a page of orders; its unique key (order_id, menuitem_id) serves it.

  // Deliveries: open first, then newest, as one all-descending key the planner can walk backwards.
  await sql
    .raw(`create index deliveries_open_created_idx on deliveries (${OPEN}, created_at, order_id)`)
    .execute(db);
  await sql
    .raw(
      `create index deliveries_crew_open_created_idx on deliveries (delivery_crew_id, ${OPEN}, created_at, order_id)`,
    )
    .execute(db);

  // Dead letters: a consumer's, newest first.
  await sql`create index dead_letters_consumer_received_idx on dead_letters (consumer, received_at, id)`.execute(
    db,
  );

  // Housekeeping: the prunes find old rows through these.
  await sql`create index outbox_sent_idx on outbox (source, sent_at) where status = 'sent'`.execute(db);
  await sql`create index outbox_abandoned_idx on outbox (source) where status = 'abandoned'`.execute(db);
  await sql`create index processed_events_consumer_processed_idx on processed_events (consumer, processed_at)`.execute(
    db,
  );
  await sql`create index refresh_tokens_expires_idx on refresh_tokens (expires_at)`.execute(db);
  await sql`create index login_failures_last_failed_idx on login_failures (last_failed_at)`.execute(db);

  // Search: `ilike '%text%'` on titles through trigram indexes.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index menu_items_title_trgm_idx on menu_items using gin (title gin_trgm_ops)`.execute(db);
  await sql`create index categories_title_trgm_idx on categories using gin (title gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    "orders_created_idx",
    "orders_total_idx",
    "orders_status_created_idx",
    "orders_status_total_idx",
    "orders_user_created_idx",
    "orders_crew_created_idx",
    "deliveries_open_created_idx",
    "deliveries_crew_open_created_idx",
    "dead_letters_consumer_received_idx",
    "outbox_sent_idx",
    "outbox_abandoned_idx",
    "processed_events_consumer_processed_idx",
    "refresh_tokens_expires_idx",
    "login_failures_last_failed_idx",
    "menu_items_title_trgm_idx",
    "categories_title_trgm_idx",
  ]) {
    await sql.raw(`drop index if exists ${index}`).execute(db);
  }
  await sql`create index orders_user_idx on orders (user_id, created_at)`.execute(db);
  await sql`create index orders_crew_idx on orders (delivery_crew_id, created_at)`.execute(db);
  await sql`create index orders_status_idx on orders (status, created_at)`.execute(db);
}
