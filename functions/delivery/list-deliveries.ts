import { hasRole, type Principal } from "../../shared/auth/index.ts";
import type { PageCount, PageRequest, PageSlice } from "../../shared/db/page.ts";
import { AppError } from "../../shared/errors.ts";
import type { DeliveryDeps } from "./internal.ts";
import { listDeliveries as queryDeliveries } from "./repository.ts";
import type { DeliveryView } from "./schemas.ts";
import { toDeliveryView } from "./view.ts";

/** A manager sees every delivery, a crew member their own; open ones first, then the most recent. */
export async function listDeliveries(
  deps: DeliveryDeps,
  input: { principal: Principal; page: PageRequest },
): Promise<{ count: PageCount; slice: PageSlice<DeliveryView> }> {
  const { principal } = input;
  const manager = hasRole(principal, "manager");
  if (!manager && !hasRole(principal, "delivery-crew")) {
    throw new AppError("forbidden", "Only managers and the delivery crew may list deliveries.");
  }
  const filter = manager ? {} : { deliveryCrewId: principal.id };
  const { count, slice } = await queryDeliveries(deps.db, filter, input.page);
  return { count, slice: { ...slice, results: slice.results.map(toDeliveryView) } };
}
