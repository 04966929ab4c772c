import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";

/** The menu function: categories and menu items. It consumes no events. */
export const menuFunction: FunctionDefinition = {
  name: "menu",
  routes: ["/api/categories", "/api/menu-items"],
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
