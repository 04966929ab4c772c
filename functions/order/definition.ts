import { appOptions } from "../../shared/runtime/app-options.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { idempotencyCutoff, pruneIdempotencyKeys } from "./idempotency-keys.ts";
import { pruneOrderFeed } from "./live-prune.ts";
import { onDeliveryStatusChanged } from "./on-delivery-status-changed.ts";
import { reconcileOrders } from "./reconcile-orders.ts";

/** Orders: checkout from the cart, the order lifecycle, and the reaction to delivery's progress. */
export const orderFunction: FunctionDefinition = {
  name: "order",
  routes: ["/api/orders", "/api/cart/orders"],
  events: { "tavola.delivery.status.changed": onDeliveryStatusChanged },
  // Keys are kept at least 24 hours; each PingSource tick prunes the older ones, and repairs the orders
  // whose delivery events went missing.
  onPing: async (ctx) => ({
    idempotency_keys: await pruneIdempotencyKeys(ctx.db, idempotencyCutoff(new Date())),
    ...(await reconcileOrders(ctx)),
    ...(await pruneOrderFeed(ctx.db, new Date())),
  }),
  build: async (ctx) => createApp(appOptions(ctx)),
};
