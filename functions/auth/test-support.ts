import type { Hono } from "hono";
import type { Kysely } from "kysely";
import type { HashLimiter } from "../../shared/auth/password.ts";
import { parseConfig } from "../../shared/config/parse.ts";
import { type AuthConfig, authConfigSchema } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { registerActor } from "../../shared/testing/actors.ts";
import { createTestKeys, type TestKeys } from "../../shared/testing/keys.ts";
import { authDeps, authFunction } from "./definition.ts";

// Helpers for the auth function's own tests (not a test file itself).

export interface AuthTestApp {
  app: Hono<AppEnv>;
  keys: TestKeys;
  config: AuthConfig;
}

/** The auth app on a test database, signing with a fresh test key; `env` overrides the defaults. */
export async function authTestbed(
  db: Kysely<Database>,
  options: { env?: Record<string, string>; keys?: TestKeys; hashLimiter?: HashLimiter } = {},
): Promise<AuthTestApp> {
  const keys = options.keys ?? (await createTestKeys());
  // Per-client throttling is the shared layer's and tested there; here it would only add noise.
  const config = parseConfig(authConfigSchema, { LOG_LEVEL: "silent", THROTTLE_LIMIT: "0", ...options.env });
  const deps = await authDeps({
    db,
    logger: createLogger("silent"),
    config,
    keys,
    hashLimiter: options.hashLimiter,
  });
  const app = createApp(authFunction, deps);
  return { app, keys, config };
}

/** Registers a user through the API (one real scrypt hash) and returns the credentials with the id. */
export const registered = registerActor;
