import { appOptions } from "../../shared/runtime/app-options.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { pruneDeliveryFeed } from "./live-prune.ts";
import { deliveryHandlers } from "./on-order-events.ts";
import { reconcileDeliveries } from "./reconcile-deliveries.ts";

/** Deliveries: the crew's view of orders to deliver, kept in step with the order through its events. */
export const deliveryFunction: FunctionDefinition = {
  name: "delivery",
  routes: ["/api/deliveries"],
  events: deliveryHandlers,
  // Each PingSource tick repairs the records whose order events went missing.
  onPing: async (ctx) => ({
    ...(await reconcileDeliveries(ctx)),
    ...(await pruneDeliveryFeed(ctx.db, new Date())),
  }),
  build: async (ctx) => createApp(appOptions(ctx)),
};
