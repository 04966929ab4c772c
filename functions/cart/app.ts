import type { Hono } from "hono";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Publisher } from "../../shared/events/index.ts";
import {
  type AppEnv,
  type BaseDeps,
  createFunctionApp,
  type FunctionAppOptions,
} from "../../shared/http/index.ts";
import { cartRoutes } from "./routes.ts";

export interface CartAppDeps extends BaseDeps {
  verify: VerifyAccessToken;
  publisher?: Publisher | undefined;
  throttle?: FunctionAppOptions["throttle"];
  corsOrigins?: FunctionAppOptions["corsOrigins"];
}

/** The cart function's app: the shared frame (health, errors, throttling) and the cart routes. */
export function createApp(deps: CartAppDeps): Hono<AppEnv> {
  const app = createFunctionApp(deps);
  app.route("/", cartRoutes({ db: deps.db, verify: deps.verify }));
  return app;
}
