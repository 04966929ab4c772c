import type { HandlerContext, TavolaEvent } from "../../shared/events/index.ts";
import type { DeliveryFact } from "./delivery-record.ts";
import { applyOrderState } from "./internal.ts";

/**
 * Applies what one order event says to its delivery record (creating it if this is the first word about
 * the order) when its order version is newer than the record's, so late, repeated and reordered events
 * all converge on the newest. It never emits: every change it makes was decided by the order function,
 * which has already told everyone, so nothing can echo back.
 */
export async function applyOrderEvent(
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
 * When the step is recorded as having happened (assigned_at, picked_up_at…): the CloudEvent's `time`,
 * else the arrival time. Informational only: it orders nothing.
 */
function timeOf(event: TavolaEvent): Date {
  const time = event.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : new Date();
}
