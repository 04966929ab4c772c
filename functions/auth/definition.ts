import { createHashLimiter, type HashLimiter } from "../../shared/auth/password.ts";
import { createVerifier } from "../../shared/auth/verifier.ts";
import { parseConfig } from "../../shared/config/parse.ts";
import { authConfigSchema } from "../../shared/config/schema.ts";
import { frameSettings } from "../../shared/runtime/app-deps.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { authEvents, authPing } from "./events.ts";
import type { AuthDeps } from "./internal.ts";
import { publicJwks, signingKeysFromConfig } from "./keys.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { authRoutes } from "./routes.ts";

/**
 * The auth function: users, tokens, group membership and the public key set. It owns users,
 * user_groups, refresh_tokens and login_failures, and consumes no events.
 */
export const authFunction: FunctionDefinition<AuthDeps> = {
  name: "auth",
  routes: [
    "/api/users",
    "/api/token",
    "/token",
    "/auth",
    "/api/groups",
    "/.well-known",
    "/api-token-auth",
    "/api/api-token-auth",
  ],
  http: authRoutes,
  events: authEvents,
  onPing: authPing,
  async deps(ctx) {
    // Auth reads more than the base config (its private key, token lifetimes, login limits).
    const config = parseConfig(authConfigSchema, ctx.env);
    const keys = await signingKeysFromConfig(config);
    return authDeps({ db: ctx.db, logger: ctx.logger, publisher: ctx.publisher, config, keys });
  },
};

export interface AuthDepsOptions extends Pick<AuthDeps, "db" | "logger" | "publisher" | "config" | "keys"> {
  /** Replaces the app's own limiter (tests instrument it); by default one of PASSWORD_HASH_CONCURRENCY. */
  hashLimiter?: HashLimiter | undefined;
  now?: (() => Date) | undefined;
}

/**
 * What the auth function's app needs. It verifies access tokens with its own key's public half, so the
 * tokens it issues are always the ones it accepts; every other function verifies with JWT_PUBLIC_KEY.
 */
export async function authDeps(options: AuthDepsOptions): Promise<AuthDeps> {
  const { config, db, keys } = options;
  return {
    db,
    logger: options.logger,
    publisher: options.publisher,
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
    jwks: await publicJwks(keys),
    ...frameSettings(config),
  };
}
