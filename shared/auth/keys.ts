import { type CryptoKey, importJWK, importPKCS8, importSPKI, type JWK } from "jose";

/** The only signing algorithm Tavola issues or accepts. */
export const TOKEN_ALG = "EdDSA";

/** Imports a public key given as a JWK (JSON) or an SPKI PEM. */
export async function importPublicKey(material: string): Promise<CryptoKey> {
  const trimmed = material.trim();
  if (trimmed.startsWith("{")) {
    const jwk = JSON.parse(trimmed) as JWK;
    if ("d" in jwk) throw new Error("JWT_PUBLIC_KEY holds private material; give the public key only.");
    return (await importJWK(jwk, TOKEN_ALG)) as CryptoKey;
  }
  return importSPKI(trimmed, TOKEN_ALG);
}

/** Imports a private key given as a JWK (JSON) or a PKCS#8 PEM, extractable so its public half can be derived. */
export async function importPrivateKey(material: string): Promise<CryptoKey> {
  const trimmed = material.trim();
  if (trimmed.startsWith("{"))
    return (await importJWK(JSON.parse(trimmed) as JWK, TOKEN_ALG, { extractable: true })) as CryptoKey;
  return importPKCS8(trimmed, TOKEN_ALG, { extractable: true });
}
