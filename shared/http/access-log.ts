import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "./env.ts";

/**
 * One info line per request, after it is answered: method, route (the pattern, never the raw path
 * with its ids or query), status, duration, and the caller's user id when a token named one. The
 * request id is in the line through the request's logger. Never a header, token, password or body.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const route = matchedRoutes(c).findLast((r) => r.method !== "ALL" && !r.path.endsWith("*"));
    c.get("logger").info("request", {
      method: c.req.method,
      route: route?.path ?? null,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      userId: c.get("principal")?.id ?? null,
    });
  };
}
