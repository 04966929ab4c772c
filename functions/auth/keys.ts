import { type CryptoKey, calculateJwkThumbprint, exportJWK, importJWK, type JWK } from "jose";
import { importPrivateKey, importPublicKey, TOKEN_ALG } from "../../shared/auth/keys.ts";
import type { AuthConfig } from "../../shared/config/schema.ts";
import { loadOrCreateLocalKeys, type SigningKeys } from "../../shared/runtime/local-keys.ts";

/**
 * The auth function's signing key pair: JWT_PRIVATE_KEY (a Secret in the cluster) with JWT_KEY_ID, or,
 * with none configured, the pair generated once under DATA_DIR for local runs. When JWT_PUBLIC_KEY is
 * set too it must be this key's public half: otherwise every other function would reject our tokens,
 * and that is better found at start than at the first request.
 */
export async function signingKeysFromConfig(config: AuthConfig): Promise<SigningKeys> {
  const keys = config.JWT_PRIVATE_KEY
    ? await fromPrivateKey(config.JWT_PRIVATE_KEY, config.JWT_KEY_ID)
    : await loadOrCreateLocalKeys(config.DATA_DIR);
  if (config.JWT_PUBLIC_KEY) {
    const configured = await exportJWK(await importPublicKey(config.JWT_PUBLIC_KEY));
    const own = await exportJWK(keys.publicKey);
    if (configured.x !== own.x)
      throw new Error("JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY; tokens would not verify.");
  }
  return keys;
}

async function fromPrivateKey(material: string, keyId: string | undefined): Promise<SigningKeys> {
  const privateKey = await importPrivateKey(material);
  const publicKey = (await importJWK(publicMembers(await exportJWK(privateKey)), TOKEN_ALG, {
    extractable: true,
  })) as CryptoKey;
  // Without a configured id, the key's RFC 7638 thumbprint names it: stable across restarts and pods.
  const kid = keyId ?? (await calculateJwkThumbprint(publicMembers(await exportJWK(publicKey))));
  return { privateKey, publicKey, keyId: kid };
}

/** Only the public members of an OKP key; whatever else a JWK carries (`d` above all) is dropped. */
function publicMembers(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK;
}

/** The JWK Set that `/.well-known/jwks.json` serves: the public key only, with its id, algorithm and use. */
export async function publicJwks(keys: SigningKeys): Promise<{ keys: JWK[] }> {
  const jwk = publicMembers(await exportJWK(keys.publicKey));
  return { keys: [{ ...jwk, kid: keys.keyId, alg: TOKEN_ALG, use: "sig" }] };
}
