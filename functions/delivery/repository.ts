import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, DeliveryRow } from "../../shared/db/types.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

type Trx = Transaction<Database>;

/** Reads a delivery and locks it until the transaction ends, so changes to it are serial. */
export async function lockDelivery(trx: Trx, orderId: number): Promise<DeliveryRecord | undefined> {
  const row = await trx
    .selectFrom("deliveries")
    .selectAll()
    .where("order_id", "=", orderId)
    .forUpdate()
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Inserts a delivery unless one exists for the order; true when it was inserted. Two events about a new
 * order arriving at once both try: the second waits for the first, then finds its row (and merges).
 */
export async function insertDeliveryIfAbsent(trx: Trx, record: DeliveryRecord): Promise<boolean> {
  const inserted = await trx
    .insertInto("deliveries")
    .values(toColumns(record))
    .onConflict((oc) => oc.column("order_id").doNothing())
    .returning("order_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Writes a locked record (`lockDelivery`) and raises its version by one. */
export async function updateDelivery(trx: Trx, record: DeliveryRecord): Promise<DeliveryRecord> {
  const { version: _ignored, ...columns } = toColumns(record);
  const row = await trx
    .updateTable("deliveries")
    .set({ ...columns, updated_at: sql`now()`, version: sql<number>`version + 1` })
    .where("order_id", "=", record.orderId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** One page of deliveries, open ones first, then the most recent; with the count of all that match. */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: { deliveryCrewId?: number },
  page: { offset: number; perpage: number },
) {
  let query = db.selectFrom("deliveries");
  if (filter.deliveryCrewId !== undefined)
    query = query.where("delivery_crew_id", "=", filter.deliveryCrewId);
  const { count } = await query.select(sql<number>`count(*)::int`.as("count")).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(sql`status in ('delivered', 'cancelled')`)
    .orderBy("created_at", "desc")
    .orderBy("order_id", "desc")
    .limit(page.perpage)
    .offset(page.offset)
    .execute();
  return { count, records: rows.map(toRecord) };
}

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    orderId: row.order_id,
    deliveryCrewId: row.delivery_crew_id,
    status: row.status,
    assignedAt: row.assigned_at,
    pickedUpAt: row.picked_up_at,
    deliveredAt: row.delivered_at,
    cancelledAt: row.cancelled_at,
    version: row.version,
    orderVersion: row.order_version,
  };
}

function toColumns(record: DeliveryRecord) {
  return {
    order_id: record.orderId,
    delivery_crew_id: record.deliveryCrewId,
    status: record.status,
    assigned_at: record.assignedAt,
    picked_up_at: record.pickedUpAt,
    delivered_at: record.deliveredAt,
    cancelled_at: record.cancelledAt,
    version: record.version,
    order_version: record.orderVersion,
  };
}
