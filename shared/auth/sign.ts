import { type CryptoKey, SignJWT } from "jose";
import type { GroupName } from "../db/types.ts";
import { TOKEN_ALG } from "./keys.ts";
import { ACCESS_TOKEN_TYP } from "./verifier.ts";

export interface AccessClaims {
  userId: number;
  username: string;
  groups: GroupName[];
  isAdmin: boolean;
}

export interface SignOptions {
  privateKey: CryptoKey;
  keyId: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now?: () => Date;
}

/**
 * Signs an access token. Only the auth function holds a private key; this lives in shared code so that
 * tests of the other functions can mint tokens with a test key.
 */
export async function signAccessToken(claims: AccessClaims, options: SignOptions): Promise<string> {
  const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  return new SignJWT({ username: claims.username, groups: claims.groups, is_admin: claims.isAdmin })
    .setProtectedHeader({ alg: TOKEN_ALG, typ: ACCESS_TOKEN_TYP, kid: options.keyId })
    .setSubject(String(claims.userId))
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(options.privateKey);
}
