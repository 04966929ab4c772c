import { parseConfig } from "../../shared/config/parse.ts";
import { authConfigSchema } from "../../shared/config/schema.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createApp } from "./app.ts";
import { pruneAuthRecords } from "./housekeeping.ts";
import { signingKeysFromConfig } from "./keys.ts";

/**
 * The auth function: users, tokens, group membership and the public key set. It owns users,
 * user_groups, refresh_tokens and login_failures, and consumes no events.
 */
export const authFunction: FunctionDefinition = {
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
  // Auth emits no events; its PingSource tick only deletes dead login counters and refresh tokens.
  onPing: ({ db }) => pruneAuthRecords(db),
  async build(ctx) {
    // Auth reads more than the base config (its private key, token lifetimes, login limits).
    const config = parseConfig(authConfigSchema, ctx.env);
    return createApp({
      db: ctx.db,
      logger: ctx.logger,
      publisher: ctx.publisher,
      config,
      keys: await signingKeysFromConfig(config),
    });
  },
};
