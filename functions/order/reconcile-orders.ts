import { withTransaction } from "../../shared/db/index.ts";
import { type ReconcileWindow, reconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { PingContext } from "../../shared/events/index.ts";
import type { CrewStatus } from "../../shared/names.ts";
import { applyDeliveryState } from "./internal.ts";
import { deliveriesAhead } from "./repository.ts";

// The order's half of reconciliation (see functions/delivery/reconcile-deliveries.ts for the other):
// on each PingSource tick, an order whose delivery is ahead of it (picked up or delivered, and the
// tavola.delivery.status.changed that said so never arrived) is moved through the same path the event
// takes, version check and status machine included. Each repair is a warning and a counted metric.

/** The order function's reconciliation; answers counts for the ping's report. */
export async function reconcileOrders(
  ctx: PingContext,
  window: ReconcileWindow = reconcileWindow(),
): Promise<Record<string, number>> {
  let repaired = 0;
  for (const delivery of await deliveriesAhead(ctx.db, window)) {
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
