import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey, SignJWT } from "jose";

/**
 * The local broker's stand-in for the cluster's OIDC issuer: a key pair made at start, tokens for a
 * subscriber's audience, and the issuer's discovery document and JWKS, so a function started alone can
 * discover it exactly as it discovers the cluster's (`issuerKeys`), and a function in the same process
 * can take its keys directly. Tokens live one minute; a delivery uses a fresh one.
 */
export interface LocalIssuer {
  readonly issuer: string;
  /** A token for `audience` (or several) with the given subject (the sender's identity). */
  sign(audience: string | string[], subject: string): Promise<string>;
  /** The public keys, for a verifier in the same process. */
  keys: JWTVerifyGetKey;
  /** Serves `/.well-known/openid-configuration` and `/openid/v1/jwks` under the issuer's URL; else undefined. */
  serve(request: Request): Response | undefined;
}

export async function createLocalIssuer(issuer: string): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA");
  const kid = `local-broker-${crypto.randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  const jwks = { keys: [jwk] };
  const base = new URL(issuer.endsWith("/") ? issuer : `${issuer}/`);
  const jwksUri = new URL("openid/v1/jwks", base).href;
  return {
    issuer,
    keys: createLocalJWKSet(jwks),
    sign(audience, subject) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(privateKey);
    },
    serve(request) {
      const path = new URL(request.url).pathname;
      if (path === new URL(".well-known/openid-configuration", base).pathname)
        return Response.json({ issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ["EdDSA"] });
      if (path === new URL(jwksUri).pathname) return Response.json(jwks);
      return undefined;
    },
  };
}
