import { appOptions } from "../../shared/runtime/app-options.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";

/** The menu function: categories and menu items. It consumes no events. */
export const menuFunction: FunctionDefinition = {
  name: "menu",
  routes: ["/api/categories", "/api/menu-items"],
  build: async (ctx) => createApp(appOptions(ctx)),
};
