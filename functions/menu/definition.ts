import { appDeps } from "../../shared/runtime/app-deps.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { menuEvents } from "./events.ts";
import { menuRoutes } from "./routes.ts";

/** The menu function: categories and menu items. It consumes no events. */
export const menuFunction: FunctionDefinition = {
  name: "menu",
  routes: ["/api/categories", "/api/menu-items"],
  http: menuRoutes,
  events: menuEvents,
  deps: appDeps,
};
