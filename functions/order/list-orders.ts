import { hasRole, type Principal } from "../../shared/auth/index.ts";
import type { OrderTerm, PageCount, PageRequest, PageSlice } from "../../shared/db/page.ts";
import type { OrderStatus } from "../../shared/db/types.ts";
import { loadOrderViews, type OrderDeps } from "./internal.ts";
import { type OrderColumn, type OrderFilter, listOrders as queryOrders } from "./repository.ts";
import type { OrderView } from "./schemas.ts";

export interface ListOrdersInput {
  principal: Principal;
  status: OrderStatus | undefined;
  ordering: OrderTerm<OrderColumn>[];
  page: PageRequest;
}

/**
 * The orders the caller may list: a manager all, a delivery crew member those assigned to them, anyone
 * else their own; each with its lines (one query for the whole page).
 */
export async function listOrders(
  deps: OrderDeps,
  input: ListOrdersInput,
): Promise<{ count: PageCount; slice: PageSlice<OrderView> }> {
  const { principal } = input;
  const filter: OrderFilter = { status: input.status };
  if (!hasRole(principal, "manager")) {
    if (hasRole(principal, "delivery-crew")) filter.deliveryCrewId = principal.id;
    else filter.userId = principal.id;
  }
  const { count, slice } = await queryOrders(deps.db, filter, input.ordering, input.page);
  const results = await loadOrderViews(deps.db, slice.results);
  return { count, slice: { ...slice, results } };
}
