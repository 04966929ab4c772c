import type { Hono } from "hono";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Publisher } from "../../shared/events/index.ts";
import {
  type AppEnv,
  type BaseDeps,
  createFunctionApp,
  type FunctionAppOptions,
} from "../../shared/http/index.ts";
import { menuRoutes } from "./routes.ts";

export interface MenuAppDeps extends BaseDeps {
  verify: VerifyAccessToken;
  publisher?: Publisher | undefined;
  throttle?: FunctionAppOptions["throttle"];
  corsOrigins?: FunctionAppOptions["corsOrigins"];
}

/** The menu function's app: the shared frame (health, errors, publishing, throttling) and its routes. */
export function createApp(deps: MenuAppDeps): Hono<AppEnv> {
  const app = createFunctionApp(deps);
  app.route("/", menuRoutes({ db: deps.db, verify: deps.verify }));
  return app;
}
