import { withTransaction } from "../../shared/db/index.ts";
import { enqueueEvent, type PendingEventIds } from "../../shared/events/index.ts";
import { type OrderDeps, orderNotFound } from "./internal.ts";
import { deleteOrder as deleteOrderRow, lockOrder } from "./repository.ts";

/**
 * Deletes an order and its lines (managers only; the route checks the role). An order that was still
 * open (neither delivered nor cancelled) emits tavola.order.cancelled first, so its delivery is closed
 * rather than left open forever for an order that no longer exists.
 */
export async function deleteOrder(
  deps: OrderDeps,
  input: { orderId: number },
  pending: PendingEventIds,
): Promise<void> {
  await withTransaction(
    deps.db,
    async (trx) => {
      const order = await lockOrder(trx, input.orderId);
      if (!order) throw orderNotFound(input.orderId);
      if (order.status !== "delivered" && order.status !== "cancelled") {
        await enqueueEvent(trx, {
          source: "order",
          type: "tavola.order.cancelled",
          subject: order.id,
          // The deletion is the order's last change: the version after its current one.
          data: { order_id: order.id, version: order.version + 1, delivery_crew_id: order.delivery_crew_id },
        });
      }
      await deleteOrderRow(trx, order.id);
    },
    { pending },
  );
}
