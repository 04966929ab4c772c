import type { Transaction } from "kysely";
import type { Database, OrderRow } from "../../shared/db/types.ts";
import { enqueueEvent } from "../../shared/events/index.ts";
import { updateOrderState } from "./repository.ts";
import type { Decision, OrderFact } from "./status-machine.ts";

/**
 * Writes what the status machine decided for a locked order: the new state and, in the same
 * transaction, one outbox event per fact. An unchanged decision writes and emits nothing, which is what
 * stops a status from echoing between order and delivery.
 */
export async function applyDecision(
  trx: Transaction<Database>,
  order: OrderRow,
  decision: Exclude<Decision, { outcome: "rejected" }>,
): Promise<OrderRow> {
  if (decision.outcome === "unchanged") return order;
  const updated = await updateOrderState(trx, order.id, decision.state);
  for (const fact of decision.facts) await emit(trx, updated, fact);
  return updated;
}

/**
 * Every event of one change carries the order's new version and enough of its state (status, crew) to
 * stand alone: a consumer applies only the first it receives of that version and ignores the rest.
 */
async function emit(trx: Transaction<Database>, order: OrderRow, fact: OrderFact) {
  const orderId = order.id;
  const base = { source: "order", subject: orderId } as const;
  const stamp = { order_id: orderId, version: order.version };
  switch (fact.type) {
    case "tavola.order.assigned":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: { ...stamp, delivery_crew_id: fact.deliveryCrewId },
      });
      return;
    case "tavola.order.status.changed":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: {
          ...stamp,
          status: fact.status,
          previous: fact.previous,
          delivery_crew_id: order.delivery_crew_id,
        },
      });
      return;
    case "tavola.order.cancelled":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: { ...stamp, delivery_crew_id: order.delivery_crew_id },
      });
      return;
  }
}
