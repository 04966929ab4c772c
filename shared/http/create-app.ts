import { Hono } from "hono";
import type { Kysely } from "kysely";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { Database } from "../db/types.ts";
import type { Publisher } from "../events/publisher.ts";
import type { Logger } from "../log.ts";
import { clientKey } from "./client-key.ts";
import type { AppEnv } from "./env.ts";
import { createErrorHandler } from "./error-handler.ts";
import { mountHealth } from "./health.ts";
import { problem, problemResponse } from "./problem.ts";
import { requestId } from "./request-id.ts";
import { throttle } from "./throttle.ts";

export interface FunctionAppOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Sends the events a request wrote after its transaction commits and before it is answered. */
  publisher?: Publisher | undefined;
  throttle?: { limit: number; windowSeconds: number; trustProxy: boolean } | undefined;
  /** Verifies access tokens, so the throttle keys a caller by the token's subject. */
  verify?: VerifyAccessToken | undefined;
}

// Served to the platform, not to clients: probes, the broker's deliveries (refusing those would only make
// the broker retry) and the scraper.
const UNTHROTTLED = /^\/(healthz|readyz|metrics|events)(\/|$)/;

/**
 * The frame every function's app is built in: optional trailing slashes, request ids, publishing of the
 * events a request wrote, throttling, the problem+json error and not-found handlers, and the health
 * routes. The function adds its routes.
 */
export function createFunctionApp(options: FunctionAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use(requestId(options.logger));
  const publisher = options.publisher;
  // Reads write no events; only a request that may change something carries a list of them.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", async function publishPendingEvents(c, next) {
    const pending: string[] = [];
    c.set("pendingEvents", pending);
    await next();
    // A Knative pod may get no CPU once it has answered: send before the answer, never after.
    if (publisher && pending.length > 0) await publisher.publish(pending);
  });
  mountHealth(app, options.db);
  if (options.throttle && options.throttle.limit > 0) {
    const keyOptions = { trustProxy: options.throttle.trustProxy, verify: options.verify };
    const limit = throttle({ ...options.throttle, clientKey: (c) => clientKey(c, keyOptions) });
    // Every public route, registration and both login forms included.
    app.use("*", async function throttlePublicRoutes(c, next) {
      return UNTHROTTLED.test(c.req.path) ? next() : limit(c, next);
    });
  }
  app.onError(createErrorHandler(options.logger));
  app.notFound((c) =>
    problemResponse(
      problem(404, `No route matches ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}.`),
    ),
  );
  return app;
}
