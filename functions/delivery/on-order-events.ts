import type { Transaction } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import type { EventHandlers, HandlerContext, TavolaEvent } from "../../shared/events/index.ts";
import { applyOrderFact, type DeliveryFact, emptyDelivery } from "./delivery-record.ts";
import { insertDeliveryIfAbsent, lockDelivery, updateDelivery } from "./repository.ts";

/**
 * Delivery's reactions to the order's events. Each applies what the event says to the delivery record
 * (creating it if this is the first word about the order) when its order version is newer than the
 * record's, so late, repeated and reordered events all converge on the newest. They never emit: every
 * change they make was decided by the order function, which has already told everyone, so nothing can
 * echo back.
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
    return applyFact(ctx, event, {
      kind: "status",
      status: event.data.status,
      crewId: event.data.delivery_crew_id,
    });
  },
  "tavola.order.cancelled": function cancelDelivery(ctx, event) {
    return applyFact(ctx, event, { kind: "cancelled", crewId: event.data.delivery_crew_id });
  },
};

async function applyFact(
  ctx: HandlerContext,
  event: TavolaEvent & { data: { order_id: number; version: number } },
  fact: DeliveryFact,
) {
  const { order_id: orderId, version } = event.data;
  const changed = await applyOrderState(ctx.trx, { orderId, version, fact, at: timeOf(event) });
  if (!changed)
    ctx.logger.info("order event not newer than the delivery; nothing changed", { orderId, version });
}

/**
 * Brings a delivery record in line with what the order said at `version`: creates the record when it is
 * the first word about the order, else applies the fact under the record's lock when the version is
 * newer than the one it holds. True when something was written. The event path and reconciliation
 * both go through here, so the same version check and rules apply to both.
 */
export async function applyOrderState(
  trx: Transaction<Database>,
  input: { orderId: number; version: number; fact: DeliveryFact; at: Date },
): Promise<boolean> {
  const { orderId, version, fact, at } = input;
  const fresh = applyOrderFact(emptyDelivery(orderId), fact, version, at);
  if (await insertDeliveryIfAbsent(trx, fresh)) return true;
  const current = await lockDelivery(trx, orderId);
  if (!current) throw new Error(`delivery of order ${orderId} vanished while locked`);
  const next = applyOrderFact(current, fact, version, at);
  if (next === current) return false;
  await updateDelivery(trx, next);
  return true;
}

/**
 * When the step is recorded as having happened (assigned_at, picked_up_at…): the CloudEvent's `time`,
 * else the arrival time. Informational only: it orders nothing.
 */
function timeOf(event: TavolaEvent): Date {
  const time = event.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : new Date();
}
