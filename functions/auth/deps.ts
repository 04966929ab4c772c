import type { Kysely } from "kysely";
import type { HashLimiter } from "../../shared/auth/password.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { AuthConfig } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import type { Logger } from "../../shared/log.ts";
import type { SigningKeys } from "../../shared/runtime/local-keys.ts";
import type { LoginThrottle } from "./login-throttle.ts";

/** What the auth function's verbs and routes are given; built once per app by `createApp`. */
export interface AuthDeps {
  db: Kysely<Database>;
  logger: Logger;
  config: AuthConfig;
  keys: SigningKeys;
  /** Checks access tokens against this function's own public key. */
  verify: VerifyAccessToken;
  /** The one cap on concurrent password hashes for this app: registrations and logins share it. */
  hashLimiter: HashLimiter;
  loginThrottle: LoginThrottle;
  /** The clock that stamps `iat`/`exp` of access tokens (tests move it). */
  now: () => Date;
}
