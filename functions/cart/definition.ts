import { appDeps } from "../../shared/runtime/app-deps.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { cartEvents, cartPing } from "./events.ts";
import { cartRoutes } from "./routes.ts";

/** The cart function: each caller's cart, kept in step with the menu by its events. */
export const cartFunction: FunctionDefinition = {
  name: "cart",
  routes: ["/api/cart/menu-items"],
  http: cartRoutes,
  events: cartEvents,
  onPing: cartPing,
  deps: appDeps,
};
