import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import { clientAddress } from "../../../shared/http/client-key.ts";
import type { AppEnv } from "../../../shared/http/env.ts";
import { hasControlCharacters } from "../../../shared/http/fields.ts";
import { body } from "../../../shared/http/validation.ts";
import { describe } from "../../../shared/openapi/describe.ts";
import { authTokenSchema, drfTokenSchema, tokenPairSchema } from "../api-shapes.ts";
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

/** DRF's `obtain_auth_token` paths (Little Lemon clients use either). */
export const DRF_TOKEN_PATHS = ["/api-token-auth", "/api/api-token-auth"];

/**
 * `/api/token` (Simple JWT's shape), its refresh and revoke, djoser's `/token/login` and DRF's
 * `/api-token-auth/`.
 */
export function tokenRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ["/api/token", "/api/token/*", "/token/*", "/auth/token/*", ...DRF_TOKEN_PATHS])
    app.use(path, noStore);

  app.post(
    "/api/token",
    describe({
      summary: "Log in",
      description: "Wrong username or password: 401, the same answer for both. Repeated failures: 429.",
      responses: { 200: tokenPairSchema },
      errors: [401],
    }),
    body(credentials),
    async (c) =>
      c.json(await logIn(deps, { ...c.get("body"), client: clientAddress(c, deps.config.TRUST_PROXY) }), 200),
  );

  app.post(
    "/api/token/refresh",
    describe({
      summary: "Refresh tokens",
      description:
        "The presented refresh token is spent; presenting it again revokes its whole family (401).",
      responses: { 200: tokenPairSchema },
      errors: [401],
    }),
    body(refreshBody),
    async (c) => c.json(await refreshTokens(deps, c.get("body")), 200),
  );

  app.post(
    "/api/token/revoke",
    describe({
      summary: "Revoke tokens",
      description: "Revokes the refresh token's family.",
      responses: { 204: null },
    }),
    body(refreshBody),
    async (c) => {
      await revokeTokens(deps, c.get("body"));
      return c.body(null, 204);
    },
  );

  // djoser and DRF answer bad credentials with 400 and non_field_errors; a lockout stays a 429.
  const asDjoser = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && error.code === "unauthenticated")
        throw new AppError("bad_request", DJOSER_INVALID, { extra: { non_field_errors: [DJOSER_INVALID] } });
      throw error;
    }
  };

  app.on(
    "POST",
    ["/token/login", "/auth/token/login"],
    describe({
      summary: "Log in (djoser)",
      description:
        "djoser's form: an access token as `auth_token`; bad credentials are 400 with non_field_errors.",
      responses: { 200: authTokenSchema },
    }),
    body(credentials),
    async (c) =>
      c.json(
        await asDjoser(() =>
          logInForAuthToken(deps, { ...c.get("body"), client: clientAddress(c, deps.config.TRUST_PROXY) }),
        ),
        200,
      ),
  );

  app.on(
    "POST",
    DRF_TOKEN_PATHS,
    describe({
      summary: "Log in (DRF)",
      description: "DRF's obtain_auth_token: an access token as `token`; bad credentials are 400.",
      responses: { 200: drfTokenSchema },
    }),
    body(credentials),
    async (c) => {
      const { auth_token } = await asDjoser(() =>
        logInForAuthToken(deps, { ...c.get("body"), client: clientAddress(c, deps.config.TRUST_PROXY) }),
      );
      return c.json({ token: auth_token }, 200);
    },
  );

  return app;
}
