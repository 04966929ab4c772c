import { readFile } from "node:fs/promises";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

const discoveryDocument = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

export interface IssuerKeysOptions {
  issuer: string;
  /**
   * A file holding a bearer token for the discovery and JWKS requests (the Kubernetes API server serves
   * its issuer's documents to authenticated service accounts); re-read on every discovery.
   */
  tokenFile?: string | undefined;
  fetch?: typeof fetch;
}

/**
 * The signing keys of an OIDC issuer, found through its discovery document
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) and fetched by jose, which caches them and
 * refetches on an unknown key id. Discovery happens on the first verification, not at start-up: a pod
 * that starts while the API server is briefly away still starts, and a failed discovery is tried again
 * on the next delivery (which the broker retries).
 */
export function issuerKeys(options: IssuerKeysOptions): JWTVerifyGetKey {
  const fetchImpl = options.fetch ?? fetch;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const headers = await authHeaders(options.tokenFile);
    const base = options.issuer.endsWith("/") ? options.issuer : `${options.issuer}/`;
    const response = await fetchImpl(new URL(".well-known/openid-configuration", base), { headers });
    if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
    const document = discoveryDocument.parse(await response.json());
    if (document.issuer !== options.issuer) throw new Error("OIDC discovery names another issuer");
    return createRemoteJWKSet(new URL(document.jwks_uri), { headers });
  };
  return async function keyFromIssuer(header, token) {
    keys ??= discover();
    try {
      return await (await keys)(header, token);
    } catch (error) {
      keys = undefined; // discovery or the JWKS failed: try afresh next time
      throw error;
    }
  };
}

async function authHeaders(tokenFile: string | undefined): Promise<Record<string, string>> {
  if (!tokenFile) return {};
  return { authorization: `Bearer ${(await readFile(tokenFile, "utf8")).trim()}` };
}
