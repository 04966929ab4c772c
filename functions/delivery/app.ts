import type { Hono } from "hono";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Publisher } from "../../shared/events/index.ts";
import {
  type AppEnv,
  type BaseDeps,
  createFunctionApp,
  type FunctionAppOptions,
} from "../../shared/http/index.ts";
import { type DeliveryLiveDeps, deliveryStreamRoutes } from "./live.ts";
import { deliveryRoutes } from "./routes.ts";

export interface DeliveryDeps extends BaseDeps {
  verify: VerifyAccessToken;
  publisher?: Publisher | undefined;
  throttle?: FunctionAppOptions["throttle"];
  corsOrigins?: FunctionAppOptions["corsOrigins"];
  /** The time of a pickup or delivery; the system clock unless a test fixes it. */
  clock?: (() => Date) | undefined;
  live?: DeliveryLiveDeps["live"];
  feedPoller?: DeliveryLiveDeps["feedPoller"];
}

/** The delivery function's app: the shared frame and the crew's delivery routes. */
export function createApp(deps: DeliveryDeps): Hono<AppEnv> {
  const app = createFunctionApp(deps);
  app.route("/api/deliveries", deliveryStreamRoutes(deps));
  app.route("/api/deliveries", deliveryRoutes(deps));
  return app;
}
