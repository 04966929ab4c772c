import type { Principal } from "../../shared/auth/index.ts";
import { canSeeOrder, loadOrderViews, type OrderDeps, orderNotFound } from "./internal.ts";
import { findOrder } from "./repository.ts";
import type { OrderView } from "./schemas.ts";

/** One order for its owner, a manager or its assigned crew; anyone else is told it does not exist. */
export async function getOrder(
  deps: OrderDeps,
  input: { principal: Principal; orderId: number },
): Promise<OrderView> {
  const order = await findOrder(deps.db, input.orderId);
  if (!order || !canSeeOrder(input.principal, order)) throw orderNotFound(input.orderId);
  const [view] = await loadOrderViews(deps.db, [order]);
  return view!;
}
