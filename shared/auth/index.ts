export { importPrivateKey, importPublicKey, TOKEN_ALG } from "./keys.ts";
export { principalOf, readCredentials, requireAuth, requireRole } from "./middleware.ts";
export { createHashLimiter, type HashLimiter, hashPassword, verifyPassword } from "./password.ts";
export { GROUP_ALIASES, hasRole, type Principal, type Role } from "./principal.ts";
export { type AccessClaims, type SignOptions, signAccessToken } from "./sign.ts";
export {
  ACCESS_TOKEN_TYP,
  createVerifier,
  type VerifierOptions,
  type VerifyAccessToken,
} from "./verifier.ts";
