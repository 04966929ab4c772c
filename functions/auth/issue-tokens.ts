import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { signAccessToken } from "../../shared/auth/sign.ts";
import type { Database } from "../../shared/db/types.ts";
import type { AuthDeps } from "./deps.ts";
import { groupsOf, insertRefreshToken, type UserRecord } from "./repository.ts";

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
