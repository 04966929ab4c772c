import type { Kysely } from "kysely";
import { hasRole, type Principal } from "../../shared/auth/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import { type Page, type PageRequest, toPage } from "../../shared/http/index.ts";
import { type DeliveryView, toDeliveryView } from "./delivery-view.ts";
import { listDeliveries as queryDeliveries } from "./repository.ts";

/** A manager sees every delivery, a crew member their own; open ones first, then the most recent. */
export async function listDeliveries(
  deps: { db: Kysely<Database> },
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
