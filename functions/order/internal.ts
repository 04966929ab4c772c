import type { Kysely, Transaction } from "kysely";
import { hasRole, type Principal } from "../../shared/auth/index.ts";
import type { Database, OrderRow } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import { enqueueEvent, type HandlerContext } from "../../shared/events/index.ts";
import type { FeedPoller } from "../../shared/live/poller.ts";
import type { CrewStatus } from "../../shared/names.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import { itemsOfOrders, lockOrder, noteDeliveryVersion, updateOrderState } from "./repository.ts";
import type { OrderView } from "./schemas.ts";
import { type Decision, decide, type OrderFact } from "./status-machine.ts";
import { toOrderView } from "./view.ts";

// What the order's verbs share: who may see an order, its views, writing a decision with its events,
// applying delivery's word, and the not-found error.

/** What the order's verbs need. */
export interface OrderDeps {
  db: Kysely<Database>;
}

/** What the order function's app needs: the common deps and, when a test watches it, its feed poller. */
export type OrderAppDeps = AppDeps & { feedPoller?: FeedPoller<OrderView> | undefined };

export function orderNotFound(orderId: number): AppError {
  return new AppError("not_found", `Order ${orderId} was not found.`);
}

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

/** Views of several orders with their lines, read in one query for all of them. */
export async function loadOrderViews(
  db: Kysely<Database>,
  orders: readonly OrderRow[],
): Promise<OrderView[]> {
  const items = await itemsOfOrders(
    db,
    orders.map((o) => o.id),
  );
  const byOrder = Map.groupBy(items, (item) => item.order_id);
  return orders.map((order) => toOrderView(order, byOrder.get(order.id) ?? []));
}

/**
 * Writes what the status machine decided for a locked order: the new state and, in the same
 * transaction, one outbox event per fact. An unchanged decision writes and emits nothing, which is what
 * stops a status from echoing between order and delivery.
 */
export async function applyDecision(
  trx: Transaction<Database>,
  order: OrderRow,
  decision: Exclude<Decision, { outcome: "rejected" }>,
): Promise<OrderRow> {
  if (decision.outcome === "unchanged") return order;
  const updated = await updateOrderState(trx, order.id, decision.state);
  for (const fact of decision.facts) await emit(trx, updated, fact);
  return updated;
}

/**
 * Every event of one change carries the order's new version and enough of its state (status, crew) to
 * stand alone: a consumer applies only the first it receives of that version and ignores the rest.
 */
async function emit(trx: Transaction<Database>, order: OrderRow, fact: OrderFact) {
  const orderId = order.id;
  const base = { source: "order", subject: orderId } as const;
  const stamp = { order_id: orderId, version: order.version };
  switch (fact.type) {
    case "tavola.order.assigned":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: { ...stamp, delivery_crew_id: fact.deliveryCrewId },
      });
      return;
    case "tavola.order.status.changed":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: {
          ...stamp,
          status: fact.status,
          previous: fact.previous,
          delivery_crew_id: order.delivery_crew_id,
        },
      });
      return;
    case "tavola.order.cancelled":
      await enqueueEvent(trx, {
        ...base,
        type: fact.type,
        data: { ...stamp, delivery_crew_id: order.delivery_crew_id },
      });
      return;
  }
}

/**
 * Moves an order to the status its delivery reported at delivery `version`, when that version is newer
 * than the one the order holds. The event path and reconciliation both go through here. True when the
 * order moved.
 */
export async function applyDeliveryState(
  ctx: HandlerContext,
  input: { orderId: number; status: CrewStatus; version: number },
): Promise<boolean> {
  const { orderId, status, version } = input;
  const order = await lockOrder(ctx.trx, orderId);
  if (!order) {
    ctx.logger.warn("delivery status for an order that does not exist; ignored", { orderId, status });
    return false;
  }
  if (version <= order.delivery_version) {
    ctx.logger.info("stale delivery status ignored", {
      orderId,
      status,
      version,
      held: order.delivery_version,
    });
    return false;
  }
  await noteDeliveryVersion(ctx.trx, orderId, version);
  const decision = decide(
    { status: order.status, deliveryCrewId: order.delivery_crew_id },
    { kind: "set-status", status },
  );
  if (decision.outcome === "rejected") {
    ctx.logger.info("delivery status not applied to the order", { orderId, status, reason: decision.reason });
    return false;
  }
  await applyDecision(ctx.trx, order, decision);
  return decision.outcome === "changed";
}
