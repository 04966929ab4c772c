import type { EventHandlers, PingHook } from "../../shared/events/index.ts";
import { applyOrderEvent } from "./apply-order-event.ts";
import { pruneDeliveryFeed } from "./prune-delivery-feed.ts";
import { reconcileDeliveries } from "./reconcile-deliveries.ts";

/** The delivery's event edge: the order's lifecycle, each event applied to its delivery record. */
export const deliveryEvents: EventHandlers = {
  // Named, so docs/events.md can say what each does.
  "tavola.order.placed": function openUnassignedDelivery(ctx, event) {
    return applyOrderEvent(ctx, event, { kind: "placed" });
  },
  "tavola.order.assigned": function assignDeliveryCrew(ctx, event) {
    return applyOrderEvent(ctx, event, { kind: "assigned", crewId: event.data.delivery_crew_id });
  },
  "tavola.order.status.changed": function bringDeliveryToOrderStatus(ctx, event) {
    return applyOrderEvent(ctx, event, {
      kind: "status",
      status: event.data.status,
      crewId: event.data.delivery_crew_id,
    });
  },
  "tavola.order.cancelled": function cancelDelivery(ctx, event) {
    return applyOrderEvent(ctx, event, { kind: "cancelled", crewId: event.data.delivery_crew_id });
  },
};

/**
 * Each PingSource tick repairs the records whose order events went missing, and drops the live feed's
 * delivery changes past their retention.
 */
export const deliveryPing: PingHook = async (ctx) => ({
  ...(await reconcileDeliveries(ctx)),
  ...(await pruneDeliveryFeed(ctx.db, new Date())),
});
