import { Hono } from "hono";
import { cors } from "hono/cors";
import type { Kysely } from "kysely";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { Database } from "../db/types.ts";
import type { Publisher } from "../events/outbox/publisher.ts";
import type { Logger } from "../log.ts";
import { accessLog } from "./access-log.ts";
import { allowedMethods, pathOf } from "./allowed-methods.ts";
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
  /** Origins a browser may call from (`*` for any); none: no CORS headers at all. */
  corsOrigins?: readonly string[] | undefined;
}

// Served to the platform, not to clients: probes, the broker's deliveries (refusing those would only make
// the broker retry) and the scraper.
const UNTHROTTLED = /^\/(healthz|readyz|metrics|events)(\/|$)/;

/** What a browser may send and read across origins. No cookies are used, so no credentials. */
// Last-Event-ID: a browser page resuming a live stream with fetch() sends it (docs/live-updates.md).
const CORS_REQUEST_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "X-Request-Id",
  "Last-Event-ID",
];
const CORS_RESPONSE_HEADERS = [
  "X-Request-Id",
  "Retry-After",
  "Allow",
  "Idempotent-Replayed",
  "WWW-Authenticate",
];

/**
 * The frame every function's app is built in: optional trailing slashes, request ids, one log line per
 * request, CORS, publishing of the events a request wrote, throttling, the problem+json error handler,
 * 405 with `Allow` for a known path and another method (and `OPTIONS` answered), 404 otherwise, and the
 * health routes. The function adds its routes.
 */
export function createFunctionApp(options: FunctionAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use(requestId(options.logger));
  app.use(accessLog());
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    app.use(
      cors({
        origin: origins.includes("*") ? "*" : [...origins],
        allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allowHeaders: CORS_REQUEST_HEADERS,
        exposeHeaders: CORS_RESPONSE_HEADERS,
        maxAge: 600,
      }),
    );
  }
  const publisher = options.publisher;
  // Reads write no events; only a request that may change something carries a list of them.
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", async function publishPendingEvents(c, next) {
    const pending: string[] = [];
    c.set("pendingEventIds", pending);
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
  const allowed = allowedMethods(app);
  app.notFound((c) => {
    const path = pathOf(c);
    const allow = allowed(path);
    if (allow.length === 0) return problemResponse(problem(404, `No route matches ${c.req.method} ${path}.`));
    if (c.req.method === "OPTIONS")
      return new Response(null, { status: 204, headers: { allow: allow.join(", ") } });
    const detail = `${c.req.method.slice(0, 20)} is not allowed on ${path}; use ${allow.join(", ")}.`;
    return problemResponse(problem(405, detail), { allow: allow.join(", ") });
  });
  return app;
}
