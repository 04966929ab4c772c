import type { EventHandlers, PingHook } from "../../shared/events/index.ts";
import { moveOrderToDeliveryStatus } from "./move-order-to-delivery-status.ts";
import { idempotencyCutoff, pruneIdempotencyKeys } from "./prune-idempotency-keys.ts";
import { pruneOrderFeed } from "./prune-order-feed.ts";
import { reconcileOrders } from "./reconcile-orders.ts";

/** The order's event edge: delivery's progress, which moves the order through its status machine. */
export const orderEvents: EventHandlers = {
  "tavola.delivery.status.changed": moveOrderToDeliveryStatus,
};

/**
 * Keys are kept at least 24 hours; each PingSource tick prunes the older ones, and repairs the orders
 * whose delivery events went missing, and drops the live feed's order changes past their retention.
 */
export const orderPing: PingHook = async (ctx) => ({
  idempotency_keys: await pruneIdempotencyKeys(ctx.db, idempotencyCutoff(new Date())),
  ...(await reconcileOrders(ctx)),
  ...(await pruneOrderFeed(ctx.db, new Date())),
});
