import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import { readBody } from "../../../shared/http/body.ts";
import { clientAddress } from "../../../shared/http/client-key.ts";
import type { AppEnv } from "../../../shared/http/env.ts";
import { hasControlCharacters } from "../../../shared/http/fields.ts";
import { validate } from "../../../shared/http/validate.ts";
import type { AuthDeps } from "../deps.ts";
import { logIn, logInForAuthToken } from "../log-in.ts";
import { refreshTokens } from "../refresh-tokens.ts";
import { revokeTokens } from "../revoke-tokens.ts";

// Credentials are checked, not stored: no trimming (a password may end in a space) and no rules on the
// password beyond a length that bounds the work. The username reaches SQL, so no control characters.
const credentials = z.object({
  username: z
    .string()
    .min(1, "must not be empty")
    .max(150, "must be at most 150 characters")
    .refine((v) => !hasControlCharacters(v), "must not contain control characters"),
  password: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"),
});

const refreshBody = z.object({
  refresh: z.string().min(1, "must not be empty").max(512, "must be at most 512 characters"),
});

/** djoser's wording and shape for bad credentials on `/token/login`. */
const DJOSER_INVALID = "Unable to log in with provided credentials.";

/** Token answers must never be cached by a browser or a proxy, failures included. */
const noStore: MiddlewareHandler<AppEnv> = async function noStore(c, next) {
  await next();
  c.res.headers.set("cache-control", "no-store");
  c.res.headers.set("pragma", "no-cache");
};

/** `/api/token` (Simple JWT's shape), its refresh and revoke, and djoser's `/token/login`. */
export function tokenRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ["/api/token", "/api/token/*", "/token/*", "/auth/token/*"]) app.use(path, noStore);

  app.post("/api/token", async (c) => {
    const input = validate(credentials, await readBody(c));
    return c.json(await logIn(deps, { ...input, client: clientAddress(c, deps.config.TRUST_PROXY) }), 200);
  });

  app.post("/api/token/refresh", async (c) => {
    const input = validate(refreshBody, await readBody(c));
    return c.json(await refreshTokens(deps, input), 200);
  });

  app.post("/api/token/revoke", async (c) => {
    const input = validate(refreshBody, await readBody(c));
    await revokeTokens(deps, input);
    return c.body(null, 204);
  });

  app.on("POST", ["/token/login", "/auth/token/login"], async (c) => {
    const input = validate(credentials, await readBody(c));
    try {
      const client = clientAddress(c, deps.config.TRUST_PROXY);
      return c.json(await logInForAuthToken(deps, { ...input, client }), 200);
    } catch (error) {
      // djoser answers bad credentials with 400 and non_field_errors; a lockout stays a 429.
      if (error instanceof AppError && error.code === "unauthenticated")
        throw new AppError("bad_request", DJOSER_INVALID, { extra: { non_field_errors: [DJOSER_INVALID] } });
      throw error;
    }
  });

  return app;
}
