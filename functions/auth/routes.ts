import { Hono, type MiddlewareHandler } from "hono";
import type { JWK } from "jose";
import { principalOf, requireAuth, requireRole } from "../../shared/auth/middleware.ts";
import { AppError } from "../../shared/errors.ts";
import { clientAddress } from "../../shared/http/client-key.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import { hasControlCharacters, parsePathId } from "../../shared/http/fields.ts";
import { pageQuery, pageSchema, parsePage, toPage } from "../../shared/http/pagination.ts";
import { body, query } from "../../shared/http/validation.ts";
import { GROUP_NAMES, type GroupName } from "../../shared/names.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { addToGroup } from "./add-to-group.ts";
import { describeUser } from "./describe-user.ts";
import type { AuthDeps, UserRef } from "./internal.ts";
import { listGroupMembers } from "./list-group-members.ts";
import { logIn, logInForAuthToken } from "./log-in.ts";
import { refreshTokens } from "./refresh-tokens.ts";
import { registerUser } from "./register-user.ts";
import { removeFromGroup } from "./remove-from-group.ts";
import { revokeTokens } from "./revoke-tokens.ts";
import {
  authTokenSchema,
  credentials,
  drfTokenSchema,
  jwksSchema,
  memberBody,
  profileSchema,
  refreshBody,
  registration,
  tokenPairSchema,
  userSchema,
} from "./schemas.ts";

/** The auth function's routes: users, tokens, group membership and the public key set. */
export function authRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", userRoutes(deps));
  app.route("/", tokenRoutes(deps));
  app.route("/", groupRoutes(deps));
  app.route("/", jwksRoutes(deps.jwks));
  return app;
}

/** Registration and the caller's profile, under Tavola's paths and djoser's. */
function userRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Only these three fields are read; is_admin, groups and the like are dropped by the schema.
  app.on(
    "POST",
    ["/api/users", "/auth/users"],
    describe({
      summary: "Register",
      description: "A username taken, a password under 8 characters or equal to the username: 400.",
      responses: { 201: userSchema },
    }),
    body(registration),
    async (c) => c.json(await registerUser(deps, c.get("body")), 201),
  );

  app.on(
    "GET",
    ["/api/users/me", "/api/users/users/me", "/auth/users/me"],
    describe({ summary: "Who am I", responses: { 200: profileSchema } }),
    requireAuth(deps.verify),
    async (c) => c.json(await describeUser(deps, principalOf(c).id), 200),
  );

  return app;
}

/** djoser's wording and shape for bad credentials on `/token/login`. */
const DJOSER_INVALID = "Unable to log in with provided credentials.";

/** Token answers must never be cached by a browser or a proxy, failures included. */
const noStore: MiddlewareHandler<AppEnv> = async function noStore(c, next) {
  await next();
  c.res.headers.set("cache-control", "no-store");
  c.res.headers.set("pragma", "no-cache");
};

/** DRF's `obtain_auth_token` paths (Little Lemon clients use either). */
const DRF_TOKEN_PATHS = ["/api-token-auth", "/api/api-token-auth"];

/**
 * `/api/token` (Simple JWT's shape), its refresh and revoke, djoser's `/token/login` and DRF's
 * `/api-token-auth/`.
 */
function tokenRoutes(deps: AuthDeps): Hono<AppEnv> {
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

const GROUP_NOTE = "`group` is manager or delivery-crew (Little Lemon's Manager and Delivery crew).";

/** Membership of the manager and delivery-crew groups, for managers (and admins) only. */
function groupRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/groups/*", requireAuth(deps.verify), requireRole("manager"));

  app.get(
    "/api/groups/:group/users",
    describe({
      summary: "List a group's members",
      description: GROUP_NOTE,
      responses: { 200: pageSchema(userSchema) },
    }),
    query(pageQuery, parsePage),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const page = c.get("query");
      const { count, slice } = await listGroupMembers(deps, group, page);
      return c.json(toPage(c.req.url, page, count, slice), 200);
    },
  );

  app.post(
    "/api/groups/:group/users",
    describe({
      summary: "Add a group member",
      description: `${GROUP_NOTE} Already a member: 200; unknown user: 404.`,
      responses: { 200: userSchema, 201: userSchema },
      errors: [404],
    }),
    body(memberBody),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const input = c.get("body");
      const ref: UserRef =
        input.user_id !== undefined ? { userId: input.user_id } : { username: input.username! };
      const { created, member } = await addToGroup(deps, group, ref);
      return c.json(member, created ? 201 : 200);
    },
  );

  app.delete(
    "/api/groups/:group/users/:user",
    describe({
      summary: "Remove a group member",
      description: `${GROUP_NOTE} \`user\` is the numeric id (a username is accepted too).`,
      responses: { 200: userSchema },
    }),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const raw = c.req.param("user");
      // The numeric id, as the contract says; a username works too, as Little Lemon clients send one.
      const userId = parsePathId(raw);
      if (userId === undefined && (raw.length > 150 || hasControlCharacters(raw)))
        throw new AppError("not_found", "No user matches that id or username.");
      const ref: UserRef = userId !== undefined ? { userId } : { username: raw };
      return c.json(await removeFromGroup(deps, group, ref), 200);
    },
  );

  return app;
}

function groupOf(name: string): GroupName {
  const group = GROUP_NAMES.find((g) => g === name);
  if (!group) throw new AppError("not_found", "There is no such group; use manager or delivery-crew.");
  return group;
}

/**
 * `/.well-known/jwks.json`: the public key that verifies access tokens, for anyone. Caches may keep it a
 * few minutes; a rotated key should be published here before it signs.
 */
function jwksRoutes(jwks: { keys: JWK[] }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    "/.well-known/jwks.json",
    describe({
      summary: "Public keys",
      description: "The keys that verify access tokens.",
      responses: { 200: jwksSchema },
    }),
    (c) => c.json(jwks, 200, { "cache-control": "public, max-age=300" }),
  );
  return app;
}
