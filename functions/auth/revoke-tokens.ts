import { type AuthDeps, hashRefreshToken } from "./internal.ts";
import { findRefreshFamily, revokeFamily } from "./repository.ts";

/**
 * `/api/token/revoke`: revokes the family of the presented refresh token (a logout of that login).
 * An unknown token is not an error (RFC 7009): there is nothing left that it could be used for.
 */
export async function revokeTokens(deps: AuthDeps, input: { refresh: string }): Promise<void> {
  const token = await findRefreshFamily(deps.db, hashRefreshToken(input.refresh));
  if (token) await revokeFamily(deps.db, token.family_id);
}
