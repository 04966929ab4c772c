import { appDeps } from "../../shared/runtime/app-deps.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { deliveryEvents, deliveryPing } from "./events.ts";
import type { DeliveryAppDeps } from "./internal.ts";
import { deliveryRoutes } from "./routes.ts";

/** Deliveries: the crew's view of orders to deliver, kept in step with the order through its events. */
export const deliveryFunction: FunctionDefinition<DeliveryAppDeps> = {
  name: "delivery",
  routes: ["/api/deliveries"],
  http: deliveryRoutes,
  events: deliveryEvents,
  onPing: deliveryPing,
  // The system clock: only tests fix it.
  deps: appDeps,
};
