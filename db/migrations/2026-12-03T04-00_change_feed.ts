import { type Kysely, sql } from "kysely";

// Frozen in time: this file imports no app code and must never change once released.
//
// The change feed that live streams read: a row per change to an order or a delivery, written by a
// trigger in the transaction of the change, so no verb has to remember it and every pod can read what
// any pod changed. `tx` is the writing transaction's id (pg_current_xact_id): readers order the feed by
// (tx, seq) and read only rows whose transaction is older than every transaction still running, so a
// row that commits late can never land behind a cursor already handed out (see docs/live-updates.md).
// The visibility keys are copied into the row so that a deleted order still tells whom it concerned.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("change_feed")
    .addColumn("seq", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("tx", "bigint", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull().check(sql`entity in ('order', 'delivery')`))
    .addColumn("entity_id", "integer", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("crew_id", "integer")
    .addColumn("previous_crew_id", "integer")
    .addColumn("deleted", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index change_feed_entity_position_idx on change_feed (entity, tx, seq)`.execute(db);
  await sql`create index change_feed_entity_created_idx on change_feed (entity, created_at)`.execute(db);

  // How far each entity's feed was pruned: a cursor at or behind this position may have lost rows.
  await db.schema
    .createTable("change_feed_pruned")
    .addColumn("entity", "text", (c) => c.primaryKey())
    .addColumn("tx", "bigint", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute();

  await sql`
    create function change_feed_orders() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        insert into change_feed (tx, entity, entity_id, user_id, crew_id, previous_crew_id, deleted)
        values (pg_current_xact_id()::text::bigint, 'order', old.id, old.user_id, old.delivery_crew_id, null, true);
        return old;
      end if;
      insert into change_feed (tx, entity, entity_id, user_id, crew_id, previous_crew_id, deleted)
      values (
        pg_current_xact_id()::text::bigint, 'order', new.id, new.user_id, new.delivery_crew_id,
        case when tg_op = 'UPDATE' and old.delivery_crew_id is distinct from new.delivery_crew_id
          then old.delivery_crew_id end,
        false
      );
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger change_feed_orders after insert or update or delete on orders
    for each row execute function change_feed_orders()`.execute(db);

  await sql`
    create function change_feed_deliveries() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        insert into change_feed (tx, entity, entity_id, user_id, crew_id, previous_crew_id, deleted)
        values (pg_current_xact_id()::text::bigint, 'delivery', old.order_id, null, old.delivery_crew_id, null, true);
        return old;
      end if;
      insert into change_feed (tx, entity, entity_id, user_id, crew_id, previous_crew_id, deleted)
      values (
        pg_current_xact_id()::text::bigint, 'delivery', new.order_id, null, new.delivery_crew_id,
        case when tg_op = 'UPDATE' and old.delivery_crew_id is distinct from new.delivery_crew_id
          then old.delivery_crew_id end,
        false
      );
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger change_feed_deliveries after insert or update or delete on deliveries
    for each row execute function change_feed_deliveries()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists change_feed_deliveries on deliveries`.execute(db);
  await sql`drop trigger if exists change_feed_orders on orders`.execute(db);
  await sql`drop function if exists change_feed_deliveries()`.execute(db);
  await sql`drop function if exists change_feed_orders()`.execute(db);
  await db.schema.dropTable("change_feed_pruned").ifExists().execute();
  await db.schema.dropTable("change_feed").ifExists().execute();
}
