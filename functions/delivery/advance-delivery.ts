import { hasRole, type Principal } from "../../shared/auth/index.ts";
import { withTransaction } from "../../shared/db/index.ts";
import { AppError } from "../../shared/errors.ts";
import { enqueueEvent, type PendingEventIds } from "../../shared/events/index.ts";
import { type CrewAction, decideCrewAction } from "./delivery-record.ts";
import type { DeliveryDeps } from "./internal.ts";
import { lockDelivery, updateDelivery } from "./repository.ts";
import type { DeliveryView } from "./schemas.ts";
import { toDeliveryView } from "./view.ts";

export interface AdvanceDeliveryInput {
  principal: Principal;
  orderId: number;
  action: CrewAction;
}

/**
 * The assigned crew member picks an order up or delivers it; the change and its
 * tavola.delivery.status.changed are written together. Repeating a step answers the delivery as it is
 * and emits nothing. A crew member the delivery is not assigned to is told it does not exist.
 */
export async function advanceDelivery(
  deps: DeliveryDeps,
  input: AdvanceDeliveryInput,
  pending: PendingEventIds,
): Promise<DeliveryView> {
  if (!hasRole(input.principal, "delivery-crew")) {
    throw new AppError(
      "forbidden",
      "Only the delivery crew member assigned to an order may report its delivery.",
    );
  }
  const at = (deps.clock ?? (() => new Date()))();
  return withTransaction(
    deps.db,
    async (trx) => {
      const record = await lockDelivery(trx, input.orderId);
      if (!record || record.deliveryCrewId !== input.principal.id) {
        throw new AppError("not_found", `No delivery of order ${input.orderId} is assigned to you.`);
      }
      const decision = decideCrewAction(record, input.action, at);
      if (decision.outcome === "rejected") throw new AppError("conflict", decision.reason);
      if (decision.outcome === "unchanged") return toDeliveryView(record);
      const updated = await updateDelivery(trx, decision.record);
      const status = updated.status === "delivered" ? "delivered" : "out_for_delivery";
      await enqueueEvent(trx, {
        source: "delivery",
        type: "tavola.delivery.status.changed",
        subject: updated.orderId,
        data: { order_id: updated.orderId, version: updated.version, status, at: at.toISOString() },
      });
      return toDeliveryView(updated);
    },
    { pending },
  );
}
