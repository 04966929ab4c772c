import { type CryptoKey, errors, jwtVerify } from "jose";
import { AppError } from "../errors.ts";
import { GROUP_NAMES, type GroupName } from "../names.ts";
import { TOKEN_ALG } from "./keys.ts";
import type { Principal } from "./principal.ts";

/** The `typ` header of access tokens; refresh tokens are opaque strings and never JWTs. */
export const ACCESS_TOKEN_TYP = "at+jwt";

export interface VerifierOptions {
  publicKey: CryptoKey;
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated on exp and iat (default 5). */
  clockToleranceSeconds?: number;
  /** The longest lifetime an access token may claim (default one day). */
  maxTokenAgeSeconds?: number;
  now?: () => Date;
}

export type VerifyAccessToken = (token: string) => Promise<Principal>;

/** A user id as `sub` carries it: a positive integer in canonical decimal (no sign, zeros, exponent). */
const CANONICAL_ID = /^[1-9][0-9]{0,15}$/;

// Key ids as JWT_KEY_ID allows them. A `kid` is attacker-controlled input; one holding path or SQL
// characters is refused outright rather than trusted anywhere a key might be looked up by it.
const SAFE_KID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the access-token check every function uses: the public key only, EdDSA pinned, `iss`, `aud`,
 * `sub`, `exp` and `iat` required, `iat` not in the future, `typ` must be an access token, a `kid` (when
 * given) must be a plain key id. Any failure is one `unauthenticated` error; the reason is never told to
 * the client.
 */
export function createVerifier(options: VerifierOptions): VerifyAccessToken {
  const tolerance = options.clockToleranceSeconds ?? 5;
  return async function verifyAccessToken(token) {
    try {
      const currentDate = options.now?.();
      const keyFor = (header: { kid?: unknown }) => {
        const kid = header.kid;
        if (kid !== undefined && (typeof kid !== "string" || !SAFE_KID.test(kid))) throw new Error("bad kid");
        return options.publicKey;
      };
      const { payload } = await jwtVerify(token, keyFor, {
        algorithms: [TOKEN_ALG],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ["sub", "exp", "iat"],
        maxTokenAge: options.maxTokenAgeSeconds ?? 86_400,
        clockTolerance: tolerance,
        ...(currentDate ? { currentDate } : {}),
      });
      const nowSeconds = Math.floor((currentDate ?? new Date()).getTime() / 1000);
      if (typeof payload.iat !== "number" || payload.iat > nowSeconds + tolerance)
        throw new Error("iat in future");
      // Only the canonical decimal form of a positive id: Number() would also read "1e3", "0x10",
      // " 7" or "7.0", each another spelling of some user's id.
      const sub = payload.sub;
      if (typeof sub !== "string" || !CANONICAL_ID.test(sub)) throw new Error("bad sub");
      const id = Number(sub);
      if (!Number.isSafeInteger(id)) throw new Error("bad sub");
      const username = payload.username;
      const groups = Array.isArray(payload.groups) ? payload.groups : [];
      if (typeof username !== "string") throw new Error("no username");
      return {
        id,
        username,
        groups: groups.filter((g): g is GroupName => GROUP_NAMES.includes(g as GroupName)),
        isAdmin: payload.is_admin === true,
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason =
        error instanceof errors.JWTExpired
          ? "The access token has expired."
          : "The access token is not valid.";
      throw new AppError("unauthenticated", reason);
    }
  };
}
