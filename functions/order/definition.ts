import { appDeps } from "../../shared/runtime/app-deps.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { orderEvents, orderPing } from "./events.ts";
import type { OrderAppDeps } from "./internal.ts";
import { orderRoutes } from "./routes.ts";

/** Orders: checkout from the cart, the order lifecycle, and the reaction to delivery's progress. */
export const orderFunction: FunctionDefinition<OrderAppDeps> = {
  name: "order",
  routes: ["/api/orders", "/api/cart/orders"],
  http: orderRoutes,
  events: orderEvents,
  onPing: orderPing,
  deps: appDeps,
};
