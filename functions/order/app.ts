import type { Hono } from "hono";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Publisher } from "../../shared/events/index.ts";
import {
  type AppEnv,
  type BaseDeps,
  createFunctionApp,
  type FunctionAppOptions,
} from "../../shared/http/index.ts";
import { type OrderLiveDeps, orderStreamRoutes } from "./live.ts";
import { orderRoutes } from "./routes.ts";

export interface OrderDeps extends BaseDeps {
  verify: VerifyAccessToken;
  publisher?: Publisher | undefined;
  throttle?: FunctionAppOptions["throttle"];
  corsOrigins?: FunctionAppOptions["corsOrigins"];
  live?: OrderLiveDeps["live"];
  feedPoller?: OrderLiveDeps["feedPoller"];
}

/** The order function's app: the shared frame and the order routes under both of their paths. */
export function createApp(deps: OrderDeps): Hono<AppEnv> {
  const app = createFunctionApp(deps);
  const routes = orderRoutes(deps);
  app.route("/api/orders", orderStreamRoutes(deps));
  app.route("/api/orders", routes);
  // Little Lemon places and lists orders at /api/cart/orders.
  app.route("/api/cart/orders", routes);
  return app;
}
