import type { AppDeps, FunctionContext } from "./function.ts";

/**
 * What every function's app takes from the runtime: the database, logger, token verifier, publisher and
 * the throttle and CORS settings of the config. One mapping, so no definition restates it.
 */
export function appDeps(ctx: FunctionContext): AppDeps {
  return {
    db: ctx.db,
    logger: ctx.logger,
    verify: ctx.verify,
    publisher: ctx.publisher,
    throttle: {
      limit: ctx.config.THROTTLE_LIMIT,
      windowSeconds: ctx.config.THROTTLE_WINDOW_SECONDS,
      trustProxy: ctx.config.TRUST_PROXY,
    },
    corsOrigins: ctx.config.CORS_ALLOWED_ORIGINS,
  };
}
