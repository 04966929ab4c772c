import type { Context, MiddlewareHandler } from "hono";
import { createBucketStore } from "./bucket-store.ts";
import type { AppEnv } from "./env.ts";
import { problem, problemResponse } from "./problem.ts";

export interface ThrottleOptions {
  /** Requests per client per window; 0 turns throttling off. */
  limit: number;
  windowSeconds: number;
  /** The client's key (see `clientKey`): a verified token's subject, else the address. */
  clientKey: (c: Context<AppEnv>) => string | Promise<string>;
  /** The most clients remembered at once (default 100,000; see `createBucketStore`). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Per-client fixed-window throttling, per instance (a Knative pod serves one share of the traffic, so a
 * per-pod limit scales with it). Answers 429 with Retry-After.
 */
export function throttle(options: ThrottleOptions): MiddlewareHandler<AppEnv> {
  const buckets = createBucketStore({
    windowMs: options.windowSeconds * 1000,
    maxKeys: options.maxKeys ?? 100_000,
    now: options.now ?? Date.now,
  });
  const now = options.now ?? Date.now;
  return async function throttleMiddleware(c, next) {
    if (options.limit <= 0) return next();
    const bucket = buckets.hit(await options.clientKey(c));
    if (bucket.count > options.limit) {
      const retryAfter = Math.max(1, Math.ceil((bucket.resetAt - now()) / 1000));
      return problemResponse(problem(429, `Too many requests; retry in ${retryAfter} seconds.`), {
        "retry-after": String(retryAfter),
        "x-request-id": c.get("requestId"),
      });
    }
    return next();
  };
}
