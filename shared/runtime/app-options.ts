import { liveSettings } from "../live/settings.ts";
import type { FunctionContext } from "./function.ts";

/**
 * What every function's `createApp` takes from the runtime: the database, logger, token verifier,
 * publisher, the throttle settings and the live streams' settings of the config. One mapping, so no definition restates it.
 */
export function appOptions(ctx: FunctionContext) {
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
    live: liveSettings(ctx.config),
  };
}
