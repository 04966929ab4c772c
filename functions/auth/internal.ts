import { createHash, randomBytes } from "node:crypto";
import type { JWK } from "jose";
import type { Kysely } from "kysely";
import type { HashLimiter } from "../../shared/auth/password.ts";
import { signAccessToken } from "../../shared/auth/sign.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { AuthConfig } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import type { SigningKeys } from "../../shared/runtime/local-keys.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import {
  findUserById,
  findUserByUsername,
  groupsOf,
  insertRefreshToken,
  type UserRecord,
} from "./repository.ts";

// What the auth function's verbs share: their deps, issuing tokens, and finding a user by id or name.

/** What the auth function's verbs and routes are given; built once per app by `authDeps` (definition.ts). */
export interface AuthDeps extends AppDeps {
  config: AuthConfig;
  keys: SigningKeys;
  /** Checks access tokens against this function's own public key. */
  verify: VerifyAccessToken;
  /** The one cap on concurrent password hashes for this app: registrations and logins share it. */
  hashLimiter: HashLimiter;
  loginThrottle: LoginThrottle;
  /** The clock that stamps `iat`/`exp` of access tokens (tests move it). */
  now: () => Date;
  /** The public key set `/.well-known/jwks.json` serves. */
  jwks: { keys: JWK[] };
}

/** The answer of `/api/token` and `/api/token/refresh`. */
export interface TokenPair {
  access: string;
  refresh: string;
  token_type: "Bearer";
  /** Seconds until the access token expires. */
  expires_in: number;
}

/**
 * Signs an access token for the user. Groups and `is_admin` are read from the database now, not carried
 * over from an older token, so a change of groups takes effect at the next login or refresh.
 */
export async function issueAccessToken(
  deps: Pick<AuthDeps, "config" | "keys" | "now">,
  db: Kysely<Database>,
  user: UserRecord,
): Promise<string> {
  return signAccessToken(
    { userId: user.id, username: user.username, groups: await groupsOf(db, user.id), isAdmin: user.is_admin },
    {
      privateKey: deps.keys.privateKey,
      keyId: deps.keys.keyId,
      issuer: deps.config.TOKEN_ISSUER,
      audience: deps.config.TOKEN_AUDIENCE,
      ttlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS,
      now: deps.now,
    },
  );
}

/**
 * An access token and a new refresh token in `familyId` (a new family for a login, the presented
 * token's family for a refresh). Run it in the caller's transaction when it spends a token.
 */
export async function issueTokenPair(
  deps: Pick<AuthDeps, "config" | "keys" | "now">,
  db: Kysely<Database>,
  user: UserRecord,
  familyId: string = crypto.randomUUID(),
): Promise<TokenPair> {
  const refresh = randomBytes(32).toString("base64url");
  await insertRefreshToken(db, {
    familyId,
    userId: user.id,
    tokenHash: hashRefreshToken(refresh),
    ttlSeconds: deps.config.REFRESH_TOKEN_TTL_SECONDS,
  });
  return {
    access: await issueAccessToken(deps, db, user),
    refresh,
    token_type: "Bearer",
    expires_in: deps.config.ACCESS_TOKEN_TTL_SECONDS,
  };
}

/**
 * Refresh tokens are kept only as SHA-256 hashes: they are 256 random bits, so a fast hash is enough
 * (no dictionary to guess from), and a leaked table holds nothing that can be presented.
 */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** A user named by id or by username, as the group routes accept either. */
export type UserRef = { userId: number } | { username: string };

/** The user a reference names; not found when there is none. */
export async function resolveUser(deps: Pick<AuthDeps, "db">, ref: UserRef): Promise<UserRecord> {
  const user =
    "userId" in ref
      ? await findUserById(deps.db, ref.userId)
      : await findUserByUsername(deps.db, ref.username);
  if (!user) throw noSuchUser();
  return user;
}

export function noSuchUser() {
  return new AppError("not_found", "No user matches that id or username.");
}
