import { withTransaction } from "../../shared/db/index.ts";
import { type ReconcileWindow, reconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { PingContext } from "../../shared/events/index.ts";
import { applyOrderState } from "./internal.ts";
import { ordersAhead, orphanedDeliveries } from "./repository.ts";

// Events can be lost past every retry (a consumer or the database away longer than the Trigger's
// window, a letter the dead-letter sink could not store). On each PingSource tick the delivery function
// compares its records with the order table it may read, and repairs the ones that disagree through the
// very path an order event takes (`applyOrderState`: the version check and the merge rules). Each repair
// means an event went missing somewhere, so each is a warning and a counted metric.

/** The delivery function's reconciliation; answers counts for the ping's report. */
export async function reconcileDeliveries(
  ctx: PingContext,
  window: ReconcileWindow = reconcileWindow(),
): Promise<Record<string, number>> {
  // When a repaired step is recorded as having happened: now, since its event never came.
  const now = new Date();
  let repaired = 0;
  for (const order of await ordersAhead(ctx.db, window)) {
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
  for (const orphan of await orphanedDeliveries(ctx.db, window)) {
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
