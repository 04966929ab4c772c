import type { IdempotencyClaim } from "../../shared/db/idempotency.ts";
import { sqlState, withTransaction } from "../../shared/db/index.ts";
import { AppError } from "../../shared/errors.ts";
import { enqueueEvent, type PendingEventIds } from "../../shared/events/index.ts";
import { loadOrderViews, type OrderDeps } from "./internal.ts";
import { deleteCartLines, insertOrder, lockCheckoutLines } from "./repository.ts";
import type { OrderView } from "./schemas.ts";

export interface PlaceOrderInput {
  userId: number;
  /** The request's Idempotency-Key, claimed in the checkout's transaction. */
  idempotency?: IdempotencyClaim<OrderView> | undefined;
}

/**
 * Turns the caller's cart into an order in one transaction: cart lines and their menu items locked,
 * prices taken from the menu as it is now (the cart's `unit_price` is a cache kept current by events
 * and may lag a price change; the locked menu row is the price at the moment this order commits), order
 * and lines written, cart emptied, `tavola.order.placed` written to the outbox, and with an
 * Idempotency-Key the order recorded under it; a key an earlier checkout recorded answers that order, as
 * it was placed, and does nothing else. A failure (an empty cart) rolls all of it back, the key
 * included, so a retry with the same key after filling the cart places the order.
 */
export async function placeOrder(
  deps: OrderDeps,
  input: PlaceOrderInput,
  pending: PendingEventIds,
): Promise<OrderView> {
  return withTransaction(
    deps.db,
    async (trx): Promise<OrderView> => {
      const earlier = await input.idempotency?.claim(trx);
      if (earlier) return earlier;
      const lines = await lockCheckoutLines(trx, input.userId);
      if (lines.length === 0) {
        throw new AppError("bad_request", "Your cart is empty; add menu items before placing an order.");
      }
      const order = await insertOrder(trx, input.userId, lines);
      await deleteCartLines(
        trx,
        lines.map((line) => line.cartItemId),
      );
      const [view] = await loadOrderViews(trx, [order]);
      await enqueueEvent(trx, {
        source: "order",
        type: "tavola.order.placed",
        subject: order.id,
        data: {
          order_id: order.id,
          version: order.version,
          user_id: order.user_id,
          total: order.total,
          items: view!.items.map((item) => ({
            menuitem_id: item.menuitem.id,
            quantity: item.quantity,
            unit_price: item.unit_price,
          })),
        },
      });
      await input.idempotency?.record(trx, view!);
      return view!;
    },
    { pending },
  ).catch((error: unknown) => {
    throw accountGone(error);
  });
}

/**
 * A foreign key to `users` refused a row (the idempotency key's or the order's): the caller's account
 * was deleted while their token is still valid. That is the caller's credentials, not our failure.
 */
function accountGone(error: unknown): unknown {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return sqlState(error) === "23503" && typeof constraint === "string" && constraint.endsWith("_user_id_fkey")
    ? new AppError("unauthenticated", "Your account no longer exists.")
    : error;
}
