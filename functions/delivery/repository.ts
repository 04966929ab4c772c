import { type Kysely, sql, type Transaction } from "kysely";
import { countCapped } from "../../shared/db/count.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../shared/db/keyset.ts";
import type { PageRequest } from "../../shared/db/page.ts";
import type { ReconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { Database, DeliveryRow } from "../../shared/db/types.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

type Trx = Transaction<Database>;
type Db = Kysely<Database> | Trx;

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

/** The deliveries of the orders among `orderIds` that have one, in one read (no lock). */
export async function readDeliveries(db: Db, orderIds: readonly number[]): Promise<DeliveryRecord[]> {
  if (orderIds.length === 0) return [];
  const rows = await db.selectFrom("deliveries").selectAll().where("order_id", "in", orderIds).execute();
  return rows.map(toRecord);
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

/**
 * Open deliveries first, then the newest: one all-descending key (`open` is true before false), which
 * the indexes deliveries_open_created_idx and deliveries_crew_open_created_idx hold in this order. The
 * expression is written exactly as in the indexes, so the planner matches it.
 */
export const DELIVERY_SORT_KEY: SortPart[] = [
  { expr: sql`(status not in ('delivered', 'cancelled'))`, direction: "desc" },
  { expr: sql.ref("created_at"), direction: "desc" },
  { expr: sql.ref("order_id"), direction: "desc" },
];

function matchingDeliveries(db: Kysely<Database>, filter: { deliveryCrewId?: number }) {
  let query = db.selectFrom("deliveries");
  if (filter.deliveryCrewId !== undefined)
    query = query.where("delivery_crew_id", "=", filter.deliveryCrewId);
  return query;
}

/** The page query: seeks to the cursor (or skips `offset` rows) and reads one row more than the page. */
export function deliveryPageQuery(
  db: Kysely<Database>,
  filter: { deliveryCrewId?: number },
  page: PageRequest,
) {
  let query = matchingDeliveries(db, filter).selectAll().select(sortKeyColumn(DELIVERY_SORT_KEY).as("_key"));
  if (page.cursor) query = query.where(afterCursor(DELIVERY_SORT_KEY, page.cursor, page));
  for (const part of readOrder(DELIVERY_SORT_KEY, page)) query = query.orderBy(part.expr, part.direction);
  return query.limit(page.perpage + 1).offset(page.offset);
}

/** One page of deliveries, open ones first, then the most recent; with how many match (countCapped). */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: { deliveryCrewId?: number },
  page: PageRequest,
) {
  const [count, rows] = await Promise.all([
    countCapped(db, matchingDeliveries(db, filter)),
    deliveryPageQuery(db, filter, page).execute(),
  ]);
  const slice = toSlice(rows, page);
  return { count, slice: { ...slice, results: slice.results.map(toRecord) } };
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

/** Orders changed in the window whose delivery record is missing or holds an older order version. */
export async function ordersAhead(db: Db, window: ReconcileWindow) {
  return db
    .selectFrom("orders as o")
    .leftJoin("deliveries as d", "d.order_id", "o.id")
    .select(["o.id", "o.version", "o.status", "o.delivery_crew_id"])
    .where("o.updated_at", ">=", window.since)
    .where("o.updated_at", "<", window.until)
    .where((eb) => eb.or([eb("d.order_id", "is", null), eb("d.order_version", "<", eb.ref("o.version"))]))
    .orderBy("o.updated_at")
    .limit(window.limit)
    .execute();
}

/** Open deliveries whose order no longer exists (its deletion's tavola.order.cancelled went missing). */
export async function orphanedDeliveries(db: Db, window: ReconcileWindow) {
  return db
    .selectFrom("deliveries as d")
    .select(["d.order_id", "d.order_version", "d.delivery_crew_id"])
    .where(sql<boolean>`d.status not in ('delivered', 'cancelled')`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("orders").select("orders.id").whereRef("orders.id", "=", "d.order_id"))),
    )
    .where("d.updated_at", "<", window.until)
    .limit(window.limit)
    .execute();
}
