import { verifyPassword } from "../../shared/auth/password.ts";
import { AppError } from "../../shared/errors.ts";
import { type AuthDeps, issueAccessToken, issueTokenPair, type TokenPair } from "./internal.ts";
import { findUserByUsername, type UserRecord } from "./repository.ts";

export interface Credentials {
  username: string;
  password: string;
}

/** Who is logging in: the client's address, which failed logins are counted by as well as the username. */
export interface LoginClient {
  client: string;
}

/** The one answer for an unknown user and a wrong password alike (Simple JWT's wording). */
export const INVALID_CREDENTIALS = "No active account found with the given credentials.";

/** `/api/token`: checks the credentials and starts a new refresh-token family. */
export async function logIn(deps: AuthDeps, credentials: Credentials & LoginClient): Promise<TokenPair> {
  const user = await authenticate(deps, credentials);
  return issueTokenPair(deps, deps.db, user);
}

/** djoser's `/token/login`: the same check, answered with an access token alone (no refresh token). */
export async function logInForAuthToken(
  deps: AuthDeps,
  credentials: Credentials & LoginClient,
): Promise<{ auth_token: string }> {
  const user = await authenticate(deps, credentials);
  return { auth_token: await issueAccessToken(deps, deps.db, user) };
}

/**
 * Checks a username and password. An unknown user costs the same scrypt work as a wrong password (a
 * dummy hash is checked), and both fail with the same error, so neither the answer nor its timing tells
 * whether the username exists. Every check takes a slot of the app's hash limiter.
 */
export async function authenticate(
  deps: AuthDeps,
  credentials: Credentials & LoginClient,
): Promise<UserRecord> {
  const { username, password, client } = credentials;
  // Checked before queueing for a hash slot, so a locked-out guessing run costs no hashing at all...
  await deps.loginThrottle.assertAllowed(username, client);
  const user = await findUserByUsername(deps.db, username);
  const valid = await deps.hashLimiter.run(async () => {
    // ...and again inside the slot, where the failure is also recorded: concurrent guesses can then
    // overshoot the limit by at most the limiter's concurrency per instance, however many are queued.
    await deps.loginThrottle.assertAllowed(username, client);
    const matches = await verifyPassword(password, user?.password_hash);
    if (!matches) await deps.loginThrottle.recordFailure(username, client);
    return matches;
  });
  if (!valid || !user) throw new AppError("unauthenticated", INVALID_CREDENTIALS);
  await deps.loginThrottle.clear(username, client);
  return user;
}
