import type { Transaction } from "kysely";
import type { Database, OrderRow } from "../../shared/db/types.ts";
import { enqueueEvent, type PendingEvents } from "../../shared/events/index.ts";
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
  pending: PendingEvents,
): Promise<OrderRow> {
  if (decision.outcome === "unchanged") return order;
  const updated = await updateOrderState(trx, order.id, decision.state);
  for (const fact of decision.facts) await emit(trx, order.id, fact, pending);
  return updated;
}

async function emit(trx: Transaction<Database>, orderId: number, fact: OrderFact, pending: PendingEvents) {
  const base = { source: "order", subject: orderId } as const;
  switch (fact.type) {
    case "tavola.order.assigned":
      await enqueueEvent(
        trx,
        { ...base, type: fact.type, data: { order_id: orderId, delivery_crew_id: fact.deliveryCrewId } },
        pending,
      );
      return;
    case "tavola.order.status.changed":
      await enqueueEvent(
        trx,
        {
          ...base,
          type: fact.type,
          data: { order_id: orderId, status: fact.status, previous: fact.previous },
        },
        pending,
      );
      return;
    case "tavola.order.cancelled":
      await enqueueEvent(trx, { ...base, type: fact.type, data: { order_id: orderId } }, pending);
      return;
  }
}
