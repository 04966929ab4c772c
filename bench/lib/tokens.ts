import { type CryptoKey, exportJWK, generateKeyPair } from "jose";
import { TOKEN_ALG } from "../../shared/auth/keys.ts";
import { signAccessToken } from "../../shared/auth/sign.ts";
import type { GroupName } from "../../shared/db/types.ts";

// The harness plays the auth function: one key pair per run, the public half handed to every server
// under test as JWT_PUBLIC_KEY, and access tokens minted up front (signing is not what is measured).

export interface BenchKeys {
  privateKey: CryptoKey;
  /** The public key as a JWK in JSON, as JWT_PUBLIC_KEY takes it. */
  publicJwk: string;
  /** The private key as a JWK in JSON, as the auth function's JWT_PRIVATE_KEY takes it. */
  privateJwk: string;
  keyId: string;
}

export const BENCH_ISSUER = "tavola-auth";
export const BENCH_AUDIENCE = "tavola";

export async function createBenchKeys(): Promise<BenchKeys> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const keyId = `bench-${process.pid}`;
  const jwk = async (key: CryptoKey) =>
    JSON.stringify({ ...(await exportJWK(key)), kid: keyId, alg: TOKEN_ALG });
  return { privateKey, publicJwk: await jwk(publicKey), privateJwk: await jwk(privateKey), keyId };
}

export interface TokenUser {
  id: number;
  username: string;
  groups?: GroupName[];
}

/** An access token for each user, valid for an hour (longer than any run). */
export async function mintTokens(keys: BenchKeys, users: readonly TokenUser[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const user of users) {
    tokens.push(
      await signAccessToken(
        { userId: user.id, username: user.username, groups: user.groups ?? [], isAdmin: false },
        {
          privateKey: keys.privateKey,
          keyId: keys.keyId,
          issuer: BENCH_ISSUER,
          audience: BENCH_AUDIENCE,
          ttlSeconds: 3_600,
        },
      ),
    );
  }
  return tokens;
}
