import { importPublicKey } from "../auth/keys.ts";
import { createVerifier, type VerifyAccessToken } from "../auth/verifier.ts";
import type { BaseConfig } from "../config/schema.ts";
import { loadOrCreateLocalKeys } from "./local-keys.ts";

/** The access-token verifier from JWT_PUBLIC_KEY, or from the local key pair when it is unset. */
export async function verifierFromConfig(config: BaseConfig): Promise<VerifyAccessToken> {
  const publicKey = config.JWT_PUBLIC_KEY
    ? await importPublicKey(config.JWT_PUBLIC_KEY)
    : (await loadOrCreateLocalKeys(config.DATA_DIR)).publicKey;
  return createVerifier({ publicKey, issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE });
}
