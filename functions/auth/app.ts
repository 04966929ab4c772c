import type { Hono } from "hono";
import type { Kysely } from "kysely";
import { createHashLimiter, type HashLimiter } from "../../shared/auth/password.ts";
import { createVerifier } from "../../shared/auth/verifier.ts";
import type { AuthConfig } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import type { Publisher } from "../../shared/events/outbox/publisher.ts";
import { createFunctionApp } from "../../shared/http/create-app.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import type { Logger } from "../../shared/log.ts";
import type { SigningKeys } from "../../shared/runtime/local-keys.ts";
import type { AuthDeps } from "./deps.ts";
import { publicJwks } from "./keys.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { groupRoutes } from "./routes/groups.ts";
import { jwksRoutes } from "./routes/jwks.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { userRoutes } from "./routes/users.ts";

export interface AuthAppOptions {
  db: Kysely<Database>;
  logger: Logger;
  config: AuthConfig;
  keys: SigningKeys;
  publisher?: Publisher | undefined;
  /** Replaces the app's own limiter (tests instrument it); by default one of PASSWORD_HASH_CONCURRENCY. */
  hashLimiter?: HashLimiter;
  now?: () => Date;
}

/**
 * The auth function's app. It verifies access tokens with its own key's public half, so the tokens it
 * issues are always the ones it accepts; every other function verifies with JWT_PUBLIC_KEY.
 */
export async function createApp(options: AuthAppOptions): Promise<Hono<AppEnv>> {
  const { config, db, logger, keys } = options;
  const deps: AuthDeps = {
    db,
    logger,
    config,
    keys,
    verify: createVerifier({
      publicKey: keys.publicKey,
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      ...(options.now ? { now: options.now } : {}),
    }),
    hashLimiter: options.hashLimiter ?? createHashLimiter(config.PASSWORD_HASH_CONCURRENCY),
    loginThrottle: createLoginThrottle(db, {
      maxFailures: config.LOGIN_MAX_FAILURES,
      maxFailuresPerUsername: config.LOGIN_MAX_FAILURES_PER_USERNAME,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    }),
    now: options.now ?? (() => new Date()),
  };
  const app = createFunctionApp({
    db,
    logger,
    publisher: options.publisher,
    verify: deps.verify,
    throttle: {
      limit: config.THROTTLE_LIMIT,
      windowSeconds: config.THROTTLE_WINDOW_SECONDS,
      trustProxy: config.TRUST_PROXY,
    },
    corsOrigins: config.CORS_ALLOWED_ORIGINS,
  });
  app.route("/", userRoutes(deps));
  app.route("/", tokenRoutes(deps));
  app.route("/", groupRoutes(deps));
  app.route("/", jwksRoutes(await publicJwks(keys)));
  return app;
}
