import { withTransaction } from "../../shared/db/index.ts";
import type { PingContext } from "../../shared/events/index.ts";
import type { CrewStatus } from "../../shared/names.ts";
import { applyDeliveryState } from "./internal.ts";
import { deliveriesAhead } from "./repository.ts";

// The order's half of reconciliation (see functions/delivery/reconcile-deliveries.ts for the other):
// on each PingSource tick, an order whose delivery is ahead of it (picked up or delivered, and the
// tavola.delivery.status.changed that said so never arrived) is moved through the same path the event
// takes, version check and status machine included. Each repair is a warning and a counted metric.

export interface ReconcileOrdersOptions {
  /** Only deliveries changed within this window are compared (default 24 h; indexed). */
  windowMs?: number;
  /** Deliveries changed more recently than this are left to their events (default 30 s). */
  graceMs?: number;
  /** At most this many repairs per tick (default 500). */
  limit?: number;
}

const DEFAULTS = { windowMs: 24 * 3_600_000, graceMs: 30_000, limit: 500 };

/** The order function's reconciliation; answers counts for the ping's report. */
export async function reconcileOrders(
  ctx: PingContext,
  options: ReconcileOrdersOptions = {},
  now = new Date(),
): Promise<Record<string, number>> {
  const settings = { ...DEFAULTS, ...options };
  let repaired = 0;
  for (const delivery of await deliveriesAhead(ctx.db, { ...settings, now })) {
    const status = delivery.status as CrewStatus;
    // What the move emits waits in the outbox for the next tick's sweep.
    const moved = await withTransaction(ctx.db, (trx) =>
      applyDeliveryState(
        { trx, logger: ctx.logger },
        { orderId: delivery.order_id, status, version: delivery.version },
      ),
    );
    if (moved) {
      repaired++;
      ctx.metrics.increment("tavola_reconciliation_repairs_total", { kind: "order_from_delivery" });
      ctx.logger.warn("order repaired from its delivery: a delivery event went missing", {
        orderId: delivery.order_id,
        status,
        version: delivery.version,
      });
    }
  }
  return { orders_repaired: repaired };
}
