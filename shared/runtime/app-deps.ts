import type { BaseConfig } from "../config/schema.ts";
import type { FunctionAppOptions } from "../http/create-app.ts";
import { liveSettings } from "../live/settings.ts";
import type { AppDeps, FunctionContext } from "./function.ts";

/**
 * What every function's app takes from the runtime: the database, logger, token verifier, publisher and
 * the throttle, CORS and live-stream settings of the config, and the stop signal. One mapping, so no definition restates it.
 */
export function appDeps(ctx: FunctionContext): AppDeps {
  return {
    db: ctx.db,
    logger: ctx.logger,
    verify: ctx.verify,
    publisher: ctx.publisher,
    ...frameSettings(ctx.config),
    live: liveSettings(ctx.config),
    stopping: ctx.stopping,
  };
}

/** The frame's settings from a function's config: throttling and CORS. */
export function frameSettings(config: BaseConfig): Pick<FunctionAppOptions, "throttle" | "corsOrigins"> {
  return {
    throttle: {
      limit: config.THROTTLE_LIMIT,
      windowSeconds: config.THROTTLE_WINDOW_SECONDS,
      trustProxy: config.TRUST_PROXY,
    },
    corsOrigins: config.CORS_ALLOWED_ORIGINS,
  };
}
