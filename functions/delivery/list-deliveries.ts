import { hasRole, type Principal } from "../../shared/auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import { type Page, type PageRequest, toPage } from "../../shared/http/index.ts";
import type { DeliveryDeps } from "./internal.ts";
import { listDeliveries as queryDeliveries } from "./repository.ts";
import type { DeliveryView } from "./schemas.ts";
import { toDeliveryView } from "./view.ts";

/** A manager sees every delivery, a crew member their own; open ones first, then the most recent. */
export async function listDeliveries(
  deps: DeliveryDeps,
  input: { principal: Principal; page: PageRequest; url: string },
): Promise<Page<DeliveryView>> {
  const { principal } = input;
  const manager = hasRole(principal, "manager");
  if (!manager && !hasRole(principal, "delivery-crew")) {
    throw new AppError("forbidden", "Only managers and the delivery crew may list deliveries.");
  }
  const filter = manager ? {} : { deliveryCrewId: principal.id };
  const { count, slice } = await queryDeliveries(deps.db, filter, input.page);
  return toPage(input.url, input.page, count, { ...slice, results: slice.results.map(toDeliveryView) });
}
