import { hasRole, type Principal } from "../../shared/auth/index.ts";
import { withTransaction } from "../../shared/db/index.ts";
import type { OrderStatus } from "../../shared/db/types.ts";
import { AppError, fieldError } from "../../shared/errors.ts";
import type { PendingEventIds } from "../../shared/events/index.ts";
import { CREW_STATUSES } from "../../shared/names.ts";
import {
  applyDecision,
  canSeeOrder,
  isAssignedCrew,
  loadOrderViews,
  type OrderDeps,
  orderNotFound,
} from "./internal.ts";
import { isDeliveryCrew, lockOrder } from "./repository.ts";
import type { OrderView } from "./schemas.ts";
import { decideAll, type OrderCommand } from "./status-machine.ts";

export interface UpdateOrderInput {
  principal: Principal;
  orderId: number;
  deliveryCrew?: number | undefined;
  status?: OrderStatus | undefined;
}

/**
 * PATCH/PUT of an order: a manager may set the delivery crew and the status, the assigned crew member
 * the status only; the status machine decides whether the move is allowed, and every change is written
 * with its events.
 */
export async function updateOrder(
  deps: OrderDeps,
  input: UpdateOrderInput,
  pending: PendingEventIds,
): Promise<OrderView> {
  const { principal } = input;
  const manager = hasRole(principal, "manager");
  if (!manager && !hasRole(principal, "delivery-crew")) {
    throw new AppError("forbidden", "Only a manager or the assigned delivery crew may change an order.");
  }
  if (input.deliveryCrew === undefined && input.status === undefined) {
    throw fieldError("status", "send status or delivery_crew", "Send status or delivery_crew to change.");
  }
  if (!manager && input.deliveryCrew !== undefined) {
    throw new AppError("forbidden", "The delivery crew may change only the status of an order.");
  }
  if (
    !manager &&
    input.status !== undefined &&
    !(CREW_STATUSES as readonly OrderStatus[]).includes(input.status)
  ) {
    throw new AppError(
      "forbidden",
      "The delivery crew may only mark an order out for delivery or delivered.",
    );
  }
  return withTransaction(
    deps.db,
    async (trx) => {
      const order = await lockOrder(trx, input.orderId);
      if (!order || !canSeeOrder(principal, order)) throw orderNotFound(input.orderId);
      if (!manager && !isAssignedCrew(principal, order)) {
        throw new AppError("forbidden", "Only a manager or the assigned delivery crew may change an order.");
      }
      if (input.deliveryCrew !== undefined && !(await isDeliveryCrew(trx, input.deliveryCrew))) {
        throw fieldError("delivery_crew", "must be a member of the delivery crew");
      }
      const commands: OrderCommand[] = [];
      if (input.deliveryCrew !== undefined) commands.push({ kind: "assign", crewId: input.deliveryCrew });
      if (input.status !== undefined) commands.push({ kind: "set-status", status: input.status });
      const decision = decideAll({ status: order.status, deliveryCrewId: order.delivery_crew_id }, commands);
      if (decision.outcome === "rejected") throw new AppError("conflict", decision.reason);
      const updated = await applyDecision(trx, order, decision);
      const [view] = await loadOrderViews(trx, [updated]);
      return view!;
    },
    { pending },
  );
}
