import { hasRole, type Principal } from "../../shared/auth/index.ts";
import { withTransaction } from "../../shared/db/index.ts";
import { AppError } from "../../shared/errors.ts";
import type { PendingEventIds } from "../../shared/events/index.ts";
import { applyDecision, canSeeOrder, loadOrderViews, type OrderDeps, orderNotFound } from "./internal.ts";
import { lockOrder } from "./repository.ts";
import type { OrderView } from "./schemas.ts";
import { decide } from "./status-machine.ts";

/**
 * Cancels an order: its owner while it is placed, a manager until it is delivered. Cancelling a
 * cancelled order answers it as it is and emits nothing.
 */
export async function cancelOrder(
  deps: OrderDeps,
  input: { principal: Principal; orderId: number },
  pending: PendingEventIds,
): Promise<OrderView> {
  const { principal } = input;
  return withTransaction(
    deps.db,
    async (trx) => {
      const order = await lockOrder(trx, input.orderId);
      if (!order || !canSeeOrder(principal, order)) throw orderNotFound(input.orderId);
      const by = hasRole(principal, "manager")
        ? "manager"
        : order.user_id === principal.id
          ? "owner"
          : undefined;
      if (!by) throw new AppError("forbidden", "Only the owner or a manager may cancel an order.");
      const decision = decide(
        { status: order.status, deliveryCrewId: order.delivery_crew_id },
        { kind: "cancel", by },
      );
      if (decision.outcome === "rejected") throw new AppError("conflict", decision.reason);
      const updated = await applyDecision(trx, order, decision);
      const [view] = await loadOrderViews(trx, [updated]);
      return view!;
    },
    { pending },
  );
}
