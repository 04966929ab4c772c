import { appOptions } from "../../shared/runtime/app-options.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { idempotencyCutoff, pruneIdempotencyKeys } from "./idempotency-keys.ts";
import { onDeliveryStatusChanged } from "./on-delivery-status-changed.ts";

/** Orders: checkout from the cart, the order lifecycle, and the reaction to delivery's progress. */
export const orderFunction: FunctionDefinition = {
  name: "order",
  routes: ["/api/orders", "/api/cart/orders"],
  events: { "tavola.delivery.status.changed": onDeliveryStatusChanged },
  // Keys are kept at least 24 hours; each PingSource tick prunes the older ones.
  onPing: async ({ db }) => ({
    idempotency_keys: await pruneIdempotencyKeys(db, idempotencyCutoff(new Date())),
  }),
  build: async (ctx) => createApp(appOptions(ctx)),
};
