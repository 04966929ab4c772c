import type { Kysely } from "kysely";
import type { Principal } from "../../shared/auth/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import { canSeeOrder } from "./access.ts";
import { loadOrderViews, type OrderView } from "./order-view.ts";
import { findOrder } from "./repository.ts";

/** One order for its owner, a manager or its assigned crew; anyone else is told it does not exist. */
export async function getOrder(
  deps: { db: Kysely<Database> },
  input: { principal: Principal; orderId: number },
): Promise<OrderView> {
  const order = await findOrder(deps.db, input.orderId);
  if (!order || !canSeeOrder(input.principal, order)) throw orderNotFound(input.orderId);
  const [view] = await loadOrderViews(deps.db, [order]);
  return view!;
}

export function orderNotFound(orderId: number): AppError {
  return new AppError("not_found", `Order ${orderId} was not found.`);
}
