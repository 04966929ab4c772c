import type { EventHandler, HandlerContext } from "../../shared/events/index.ts";
import type { CrewStatus } from "../../shared/names.ts";
import { applyDecision } from "./apply-decision.ts";
import { lockOrder, noteDeliveryVersion } from "./repository.ts";
import { decide } from "./status-machine.ts";

/**
 * The order's reaction to tavola.delivery.status.changed: the status machine decides as for any other
 * entry point. A move emits tavola.order.status.changed like every status change does; delivery finds
 * its record already in that status and does nothing, so the echo stops after one round. An order that
 * already has the status changes nothing and emits nothing. A move the machine forbids is a stale or
 * overtaken event (out_for_delivery arriving after delivered, a pickup racing a cancel): it is
 * acknowledged and logged, never retried, since no retry could ever make it apply. An event whose
 * delivery version is not newer than the one the order last applied is acknowledged and changes nothing.
 */
export const onDeliveryStatusChanged: EventHandler<"tavola.delivery.status.changed"> = async (ctx, event) => {
  const { order_id: orderId, status, version } = event.data;
  await applyDeliveryState(ctx, { orderId, status, version });
};

/**
 * Moves an order to the status its delivery reported at delivery `version`, when that version is newer
 * than the one the order holds. The event path and reconciliation both go through here. True when the
 * order moved.
 */
export async function applyDeliveryState(
  ctx: HandlerContext,
  input: { orderId: number; status: CrewStatus; version: number },
): Promise<boolean> {
  const { orderId, status, version } = input;
  const order = await lockOrder(ctx.trx, orderId);
  if (!order) {
    ctx.logger.warn("delivery status for an order that does not exist; ignored", { orderId, status });
    return false;
  }
  if (version <= order.delivery_version) {
    ctx.logger.info("stale delivery status ignored", {
      orderId,
      status,
      version,
      held: order.delivery_version,
    });
    return false;
  }
  await noteDeliveryVersion(ctx.trx, orderId, version);
  const decision = decide(
    { status: order.status, deliveryCrewId: order.delivery_crew_id },
    { kind: "set-status", status },
  );
  if (decision.outcome === "rejected") {
    ctx.logger.info("delivery status not applied to the order", { orderId, status, reason: decision.reason });
    return false;
  }
  await applyDecision(ctx.trx, order, decision);
  return decision.outcome === "changed";
}
