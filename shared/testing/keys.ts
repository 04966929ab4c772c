import { type CryptoKey, generateKeyPair } from "jose";
import { TOKEN_ALG } from "../auth/keys.ts";
import type { Principal } from "../auth/principal.ts";
import { signAccessToken } from "../auth/sign.ts";
import { createVerifier, type VerifyAccessToken } from "../auth/verifier.ts";

export const TEST_ISSUER = "tavola-auth";
export const TEST_AUDIENCE = "tavola";

export interface TestKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  keyId: string;
  verify: VerifyAccessToken;
  /** A valid access token for the principal, signed with the test key. */
  tokenFor(principal: Pick<Principal, "id" | "username"> & Partial<Principal>): Promise<string>;
}

/** A fresh EdDSA key pair with a verifier and a token minter, for one test file. */
export async function createTestKeys(): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  return testKeysFrom({ privateKey, publicKey, keyId: `test-${crypto.randomUUID().slice(0, 8)}` });
}

/**
 * Test keys over a key pair the test did not make: a running stack's own signing pair, so the tokens
 * minted here are the ones its functions accept (with the issuer and audience the config defaults to).
 */
export function testKeysFrom(pair: Pick<TestKeys, "privateKey" | "publicKey" | "keyId">): TestKeys {
  const { privateKey, publicKey, keyId } = pair;
  return {
    privateKey,
    publicKey,
    keyId,
    verify: createVerifier({ publicKey, issuer: TEST_ISSUER, audience: TEST_AUDIENCE }),
    tokenFor: (p) =>
      signAccessToken(
        { userId: p.id, username: p.username, groups: p.groups ?? [], isAdmin: p.isAdmin ?? false },
        { privateKey, keyId, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 600 },
      ),
  };
}
