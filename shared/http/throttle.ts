import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { problem, problemResponse } from "./problem.ts";

export interface ThrottleOptions {
  /** Requests per client per window; 0 turns throttling off. */
  limit: number;
  windowSeconds: number;
  /** The client's key: its token when it sends one, its address otherwise. */
  clientKey: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string;
  now?: () => number;
}

/**
 * Per-client fixed-window throttling, per instance (a Knative pod serves one share of the traffic, so a
 * per-pod limit scales with it). Answers 429 with Retry-After.
 */
export function throttle(options: ThrottleOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? Date.now;
  const windowMs = options.windowSeconds * 1000;
  const counters = new Map<string, { count: number; resetAt: number }>();
  return async function throttleMiddleware(c, next) {
    if (options.limit <= 0) return next();
    const t = now();
    if (counters.size > 10_000) for (const [k, v] of counters) if (v.resetAt <= t) counters.delete(k);
    const key = options.clientKey(c);
    let entry = counters.get(key);
    if (!entry || entry.resetAt <= t) {
      entry = { count: 0, resetAt: t + windowMs };
      counters.set(key, entry);
    }
    entry.count++;
    if (entry.count > options.limit) {
      const retryAfter = Math.max(1, Math.ceil((entry.resetAt - t) / 1000));
      return problemResponse(problem(429, `Too many requests; retry in ${retryAfter} seconds.`), {
        "retry-after": String(retryAfter),
        "x-request-id": c.get("requestId"),
      });
    }
    return next();
  };
}
