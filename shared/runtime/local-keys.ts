import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { TOKEN_ALG } from "../auth/keys.ts";

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  keyId: string;
}

/**
 * For local runs only: the signing key pair kept under `<dataDir>/keys/signing.jwk`, generated on first
 * use. In the cluster the keys come from a Secret (JWT_PRIVATE_KEY) and a ConfigMap (JWT_PUBLIC_KEY).
 */
export async function loadOrCreateLocalKeys(dataDir: string): Promise<SigningKeys> {
  const dir = join(dataDir, "keys");
  const file = join(dir, "signing.jwk");
  try {
    return await fromJwk(JSON.parse(await readFile(file, "utf8")) as JWK);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  const { privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `local-${crypto.randomUUID().slice(0, 8)}`,
    alg: TOKEN_ALG,
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    // "wx": if another process created it first, use theirs.
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    return fromJwk(JSON.parse(await readFile(file, "utf8")) as JWK);
  }
  return fromJwk(jwk);
}

async function fromJwk(jwk: JWK): Promise<SigningKeys> {
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, TOKEN_ALG, { extractable: true })) as CryptoKey,
    publicKey: (await importJWK(publicJwk, TOKEN_ALG, { extractable: true })) as CryptoKey,
    keyId: jwk.kid ?? "local",
  };
}
