import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { deliveryHandlers } from "./on-order-events.ts";

/** Deliveries: the crew's view of orders to deliver, kept in step with the order through its events. */
export const deliveryFunction: FunctionDefinition = {
  name: "delivery",
  routes: ["/api/deliveries"],
  events: deliveryHandlers,
  build: async (ctx) =>
    createApp({
      db: ctx.db,
      logger: ctx.logger,
      verify: ctx.verify,
      publisher: ctx.publisher,
      throttle: {
        limit: ctx.config.THROTTLE_LIMIT,
        windowSeconds: ctx.config.THROTTLE_WINDOW_SECONDS,
        trustProxy: ctx.config.TRUST_PROXY,
      },
    }),
};
