import { hasRole, type Principal } from "../../shared/auth/index.ts";
import type { OrderRow } from "../../shared/db/types.ts";

/** Who may see an order: its owner, a manager (or admin), and the crew member assigned to it. */
export function canSeeOrder(
  principal: Principal,
  order: Pick<OrderRow, "user_id" | "delivery_crew_id">,
): boolean {
  return (
    hasRole(principal, "manager") || order.user_id === principal.id || order.delivery_crew_id === principal.id
  );
}

/** True for the crew member an order is assigned to. */
export function isAssignedCrew(principal: Principal, order: Pick<OrderRow, "delivery_crew_id">): boolean {
  return order.delivery_crew_id === principal.id && hasRole(principal, "delivery-crew");
}
