import type { EventHandler } from "../../shared/events/index.ts";
import { applyDeliveryState } from "./internal.ts";

/**
 * The order's reaction to tavola.delivery.status.changed: the status machine decides as for any other
 * entry point. A move emits tavola.order.status.changed like every status change does; delivery finds
 * its record already in that status and does nothing, so the echo stops after one round. An order that
 * already has the status changes nothing and emits nothing. A move the machine forbids is a stale or
 * overtaken event (out_for_delivery arriving after delivered, a pickup racing a cancel): it is
 * acknowledged and logged, never retried, since no retry could ever make it apply. An event whose
 * delivery version is not newer than the one the order last applied is acknowledged and changes nothing.
 */
export const moveOrderToDeliveryStatus: EventHandler<"tavola.delivery.status.changed"> = async (
  ctx,
  event,
) => {
  const { order_id: orderId, status, version } = event.data;
  await applyDeliveryState(ctx, { orderId, status, version });
};
