import { type Kysely, sql } from "kysely";
import { withTransaction } from "../../shared/db/index.ts";
import type { Database } from "../../shared/db/types.ts";
import type { PingContext } from "../../shared/events/index.ts";
import { applyOrderState } from "./on-order-events.ts";

// Events can be lost past every retry (a consumer or the database away longer than the Trigger's
// window, a letter the dead-letter sink could not store). On each PingSource tick the delivery function
// compares its records with the order table it may read, and repairs the ones that disagree through the
// very path an order event takes (`applyOrderState`: the version check and the merge rules). Each repair
// means an event went missing somewhere, so each is a warning and a counted metric.

export interface ReconcileOptions {
  /** Only orders changed within this window are compared (default 24 h; the index keeps it cheap). */
  windowMs?: number;
  /** Orders changed more recently than this are left to their events, still on their way (default 30 s). */
  graceMs?: number;
  /** At most this many repairs per tick; the rest wait for the next (default 500). */
  limit?: number;
}

const DEFAULTS = { windowMs: 24 * 3_600_000, graceMs: 30_000, limit: 500 };

/** Orders changed in the window whose delivery record is missing or holds an older order version. */
async function ordersAhead(db: Kysely<Database>, options: Required<ReconcileOptions>, now: Date) {
  return db
    .selectFrom("orders as o")
    .leftJoin("deliveries as d", "d.order_id", "o.id")
    .select(["o.id", "o.version", "o.status", "o.delivery_crew_id"])
    .where("o.updated_at", ">=", new Date(now.getTime() - options.windowMs))
    .where("o.updated_at", "<", new Date(now.getTime() - options.graceMs))
    .where((eb) => eb.or([eb("d.order_id", "is", null), eb("d.order_version", "<", eb.ref("o.version"))]))
    .orderBy("o.updated_at")
    .limit(options.limit)
    .execute();
}

/** Open deliveries whose order no longer exists (its deletion's tavola.order.cancelled went missing). */
async function orphanedDeliveries(db: Kysely<Database>, options: Required<ReconcileOptions>, now: Date) {
  return db
    .selectFrom("deliveries as d")
    .select(["d.order_id", "d.order_version", "d.delivery_crew_id"])
    .where(sql<boolean>`d.status not in ('delivered', 'cancelled')`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("orders").select("orders.id").whereRef("orders.id", "=", "d.order_id"))),
    )
    .where("d.updated_at", "<", new Date(now.getTime() - options.graceMs))
    .limit(options.limit)
    .execute();
}

/** The delivery function's reconciliation; answers counts for the ping's report. */
export async function reconcileDeliveries(
  ctx: PingContext,
  options: ReconcileOptions = {},
  now = new Date(),
): Promise<Record<string, number>> {
  const settings = { ...DEFAULTS, ...options };
  let repaired = 0;
  for (const order of await ordersAhead(ctx.db, settings, now)) {
    const fact = { kind: "status", status: order.status, crewId: order.delivery_crew_id } as const;
    const input = { orderId: order.id, version: order.version, fact, at: now };
    if (await withTransaction(ctx.db, (trx) => applyOrderState(trx, input))) {
      repaired++;
      ctx.metrics.increment("tavola_reconciliation_repairs_total", { kind: "delivery_from_order" });
      ctx.logger.warn("delivery repaired from its order: an order event went missing", {
        orderId: order.id,
        version: order.version,
        status: order.status,
      });
    }
  }
  for (const orphan of await orphanedDeliveries(ctx.db, settings, now)) {
    const fact = { kind: "cancelled", crewId: orphan.delivery_crew_id } as const;
    const input = { orderId: orphan.order_id, version: orphan.order_version + 1, fact, at: now };
    if (await withTransaction(ctx.db, (trx) => applyOrderState(trx, input))) {
      repaired++;
      ctx.metrics.increment("tavola_reconciliation_repairs_total", { kind: "delivery_of_deleted_order" });
      ctx.logger.warn("delivery of a deleted order cancelled: its cancellation event went missing", {
        orderId: orphan.order_id,
      });
    }
  }
  return { deliveries_repaired: repaired };
}
