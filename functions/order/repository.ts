import { type Kysely, sql, type Transaction } from "kysely";
import { countCapped } from "../../shared/db/count.ts";
import type { IdempotencyKeyStore, KeyClaim, StoredResponse } from "../../shared/db/idempotency.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../shared/db/keyset.ts";
import type { OrderTerm, PageRequest } from "../../shared/db/page.ts";
import type { ReconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { Database, OrderStatus } from "../../shared/db/types.ts";
import { CREW_STATUSES } from "../../shared/names.ts";

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** A cart line joined with the menu's current title and price, both locked (see `lockCheckoutLines`). */
export interface CheckoutLine {
  cartItemId: number;
  menuitemId: number;
  title: string;
  quantity: number;
  price: string;
}

/**
 * Locks the caller's cart lines (`for update`: a concurrent checkout of the same cart waits, then finds
 * them gone) and their menu items (`for share`: a price change waits for this checkout, or this checkout
 * waits for it and reads the new price), and reads the menu's current title and price.
 */
export async function lockCheckoutLines(trx: Trx, userId: number): Promise<CheckoutLine[]> {
  return trx
    .selectFrom("cart_items as c")
    .innerJoin("menu_items as m", "m.id", "c.menuitem_id")
    .select(["c.id as cartItemId", "m.id as menuitemId", "m.title", "c.quantity", "m.price"])
    .where("c.user_id", "=", userId)
    .orderBy("m.id")
    .forUpdate("c")
    .forShare("m")
    .execute();
}

export async function deleteCartLines(trx: Trx, ids: readonly number[]): Promise<void> {
  await trx.deleteFrom("cart_items").where("id", "in", ids).execute();
}

/** Inserts the order and its lines; line prices and the total are computed by PostgreSQL (numeric). */
export async function insertOrder(trx: Trx, userId: number, lines: readonly CheckoutLine[]) {
  const order = await trx
    .insertInto("orders")
    .values({ user_id: userId, delivery_crew_id: null, status: "placed", total: "0.00" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("order_items")
    .values(
      lines.map((line) => ({
        order_id: order.id,
        menuitem_id: line.menuitemId,
        title: line.title,
        quantity: line.quantity,
        unit_price: line.price,
        price: sql<string>`${line.price}::numeric * ${line.quantity}`,
      })),
    )
    .execute();
  return trx
    .updateTable("orders")
    .set({
      total: sql<string>`(select coalesce(sum(price), 0) from order_items where order_id = ${order.id})`,
    })
    .where("id", "=", order.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findOrder(db: Db, id: number) {
  return db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Reads an order and locks it until the transaction ends, so status changes to it are serial. */
export async function lockOrder(trx: Trx, id: number) {
  return trx.selectFrom("orders").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/**
 * Writes an order's new state and raises its version by one; the caller holds the row's lock
 * (`lockOrder`), so versions follow the order in which the changes commit.
 */
export async function updateOrderState(
  trx: Trx,
  id: number,
  state: { status: OrderStatus; deliveryCrewId: number | null },
) {
  return trx
    .updateTable("orders")
    .set({
      status: state.status,
      delivery_crew_id: state.deliveryCrewId,
      updated_at: sql`now()`,
      version: sql<number>`version + 1`,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Remembers the newest delivery version applied to a locked order; never lowers it. */
export async function noteDeliveryVersion(trx: Trx, id: number, version: number): Promise<void> {
  await trx
    .updateTable("orders")
    .set({ delivery_version: sql<number>`greatest(delivery_version, ${version})` })
    .where("id", "=", id)
    .execute();
}

export async function deleteOrder(trx: Trx, id: number): Promise<void> {
  await trx.deleteFrom("orders").where("id", "=", id).execute();
}

/** The lines of several orders in one query (never one query per order). */
export async function itemsOfOrders(db: Db, orderIds: readonly number[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom("order_items")
    .select(["order_id", "menuitem_id", "title", "quantity", "unit_price", "price"])
    .where("order_id", "in", orderIds)
    .orderBy("order_id")
    .orderBy("id")
    .execute();
}

export type OrderColumn = "created_at" | "total";

export interface OrderFilter {
  /** Only the orders of this customer. */
  userId?: number;
  /** Only the orders assigned to this crew member. */
  deliveryCrewId?: number;
  status?: OrderStatus;
}

/** The sort key of an ordering: its terms, then id in the last term's direction (newest first by default). */
export function orderSortKey(ordering: readonly OrderTerm<OrderColumn>[]): SortPart[] {
  const terms = ordering.length > 0 ? ordering : [{ column: "created_at", direction: "desc" } as const];
  const direction = terms.at(-1)!.direction;
  return [...terms, { column: "id", direction } as const].map((t) => ({
    expr: sql.ref(`orders.${t.column}`),
    direction: t.direction,
  }));
}

function matchingOrders(db: Db, filter: OrderFilter) {
  let query = db.selectFrom("orders");
  if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
  if (filter.deliveryCrewId !== undefined)
    query = query.where("delivery_crew_id", "=", filter.deliveryCrewId);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  return query;
}

/**
 * The page query: seeks to the cursor (or skips `offset` rows) along the sort key and reads one row more
 * than the page, so the caller knows whether another page follows.
 */
export function orderPageQuery(
  db: Db,
  filter: OrderFilter,
  ordering: readonly OrderTerm<OrderColumn>[],
  page: PageRequest,
) {
  const parts = orderSortKey(ordering);
  let query = matchingOrders(db, filter).selectAll().select(sortKeyColumn(parts).as("_key"));
  if (page.cursor) query = query.where(afterCursor(parts, page.cursor, page));
  for (const part of readOrder(parts, page)) query = query.orderBy(part.expr, part.direction);
  return query.limit(page.perpage + 1).offset(page.offset);
}

/** One page of orders and how many match (exact up to a cap: countCapped). */
export async function listOrders(
  db: Db,
  filter: OrderFilter,
  ordering: readonly OrderTerm<OrderColumn>[],
  page: PageRequest,
) {
  const [count, rows] = await Promise.all([
    countCapped(db, matchingOrders(db, filter)),
    orderPageQuery(db, filter, ordering, page).execute(),
  ]);
  return { count, slice: toSlice(rows, page) };
}

export async function isDeliveryCrew(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("user_groups")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("group_name", "=", "delivery-crew")
    .executeTakeFirst();
  return row !== undefined;
}

/** Deliveries changed in the window that are ahead of their open order and newer than it has heard of. */
export async function deliveriesAhead(db: Db, window: ReconcileWindow) {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("orders as o", "o.id", "d.order_id")
    .select(["d.order_id", "d.status", "d.version"])
    .where("d.updated_at", ">=", window.since)
    .where("d.updated_at", "<", window.until)
    .where("d.status", "in", CREW_STATUSES)
    .whereRef("o.delivery_version", "<", "d.version")
    .whereRef("o.status", "<>", "d.status")
    .where("o.status", "not in", ["delivered", "cancelled"])
    .orderBy("d.updated_at")
    .limit(window.limit)
    .execute();
}

/** The order's idempotency keys (checkout's): each caller's own, claimed in the checkout's transaction. */
export const idempotencyKeys: IdempotencyKeyStore = {
  claim: claimIdempotencyKey,
  store: storeIdempotentResponse,
};

async function claimIdempotencyKey(
  trx: Trx,
  userId: number,
  key: string,
  requestHash: string,
): Promise<KeyClaim> {
  const inserted = await trx
    .insertInto("idempotency_keys")
    .values({ user_id: userId, key: key, request_hash: requestHash, response_status: null })
    .onConflict((oc) => oc.columns(["user_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (inserted) return { claimed: true };
  const row = await trx
    .selectFrom("idempotency_keys")
    .select(["request_hash", "response_status", "response_body"])
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  return {
    claimed: false,
    requestHash: row.request_hash,
    response: row.response_status === null ? null : { status: row.response_status, body: row.response_body },
  };
}

async function storeIdempotentResponse(
  trx: Trx,
  userId: number,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await trx
    .updateTable("idempotency_keys")
    .set({ response_status: response.status, response_body: JSON.stringify(response.body) })
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .execute();
}

/**
 * Deletes idempotency keys created before `olderThan`; how many.
 */
export async function deleteIdempotencyKeys(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom("idempotency_keys")
    .where("created_at", "<", olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
