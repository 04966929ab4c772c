import type { EventHandlers, HandlerContext, TavolaEvent } from "../../shared/events/index.ts";
import { type DeliveryFact, emptyDelivery, mergeFact } from "./delivery-record.ts";
import { insertDeliveryIfAbsent, lockDelivery, updateDelivery } from "./repository.ts";

/**
 * Delivery's reactions to the order's events. Each merges what the event says into the delivery record
 * (creating it if this is the first word about the order), so late, repeated and reordered events all
 * converge. They never emit: every change they make was decided by the order function, which has already
 * told everyone, so nothing can echo back.
 */
export const deliveryHandlers: EventHandlers = {
  // Named, so docs/events.md can say what each does.
  "tavola.order.placed": function openUnassignedDelivery(ctx, event) {
    return applyFact(ctx, event, { kind: "placed" });
  },
  "tavola.order.assigned": function assignDeliveryCrew(ctx, event) {
    return applyFact(ctx, event, { kind: "assigned", crewId: event.data.delivery_crew_id });
  },
  "tavola.order.status.changed": function bringDeliveryToOrderStatus(ctx, event) {
    return applyFact(ctx, event, { kind: "status", status: event.data.status });
  },
  "tavola.order.cancelled": function cancelDelivery(ctx, event) {
    return applyFact(ctx, event, { kind: "cancelled" });
  },
};

async function applyFact(
  ctx: HandlerContext,
  event: TavolaEvent & { data: { order_id: number } },
  fact: DeliveryFact,
) {
  const orderId = event.data.order_id;
  const at = timeOf(event);
  if (await insertDeliveryIfAbsent(ctx.trx, mergeFact(emptyDelivery(orderId), fact, at))) return;
  const current = await lockDelivery(ctx.trx, orderId);
  if (!current) throw new Error(`delivery of order ${orderId} vanished while locked`);
  const next = mergeFact(current, fact, at);
  if (next !== current) await updateDelivery(ctx.trx, next);
}

/**
 * When the order function made the change: the CloudEvent's `time` (the outbox row's creation), which
 * orders two reassignments correctly even when their events arrive swapped; the arrival time if absent.
 */
function timeOf(event: TavolaEvent): Date {
  const time = event.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : new Date();
}
