import { withTransaction } from "../../shared/db/transaction.ts";
import { AppError } from "../../shared/errors.ts";
import { type AuthDeps, hashRefreshToken, issueTokenPair, type TokenPair } from "./internal.ts";
import {
  findUserById,
  isFamilyRevoked,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
} from "./repository.ts";

const INVALID_REFRESH = "The refresh token is not valid.";

type Outcome = { kind: "issued"; pair: TokenPair } | { kind: "invalid" } | { kind: "reused" };

/**
 * `/api/token/refresh`: spends the presented refresh token and issues a new pair in the same family.
 * A token spent before is a sign it was stolen (the thief or the owner used it first): the whole
 * family is revoked, so neither can go on. The row lock makes two refreshes of one token run in turn:
 * the second finds it spent, so at most one of them succeeds.
 */
export async function refreshTokens(deps: AuthDeps, input: { refresh: string }): Promise<TokenPair> {
  const tokenHash = hashRefreshToken(input.refresh);
  // The revocation must commit, so the transaction returns what happened and the error is thrown after.
  const outcome = await withTransaction(deps.db, async (trx): Promise<Outcome> => {
    const token = await lockRefreshToken(trx, tokenHash);
    if (!token) return { kind: "invalid" };
    if (token.revoked_at !== null || (await isFamilyRevoked(trx, token.family_id))) {
      // A revoke may have raced the refresh that added this token; finish the revocation.
      await revokeFamily(trx, token.family_id);
      return { kind: "invalid" };
    }
    if (token.used_at !== null) {
      await revokeFamily(trx, token.family_id);
      return { kind: "reused" };
    }
    if (token.expired) return { kind: "invalid" };
    await markRefreshTokenUsed(trx, token.id);
    const user = await findUserById(trx, token.user_id);
    if (!user) return { kind: "invalid" };
    return { kind: "issued", pair: await issueTokenPair(deps, trx, user, token.family_id) };
  });
  if (outcome.kind === "issued") return outcome.pair;
  if (outcome.kind === "reused") deps.logger.warn("refresh token reused; family revoked");
  throw new AppError("unauthenticated", INVALID_REFRESH);
}
