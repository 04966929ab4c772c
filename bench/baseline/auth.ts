import { type CryptoKey, importJWK, type JWK, jwtVerify } from "jose";

// The baseline's token check: the same EdDSA verification with the same required claims as the
// functions' verifier (crypto is work any server must do), without any framework around it.

export interface Caller {
  id: number;
  username: string;
}

export async function importBaselineKey(jwkJson: string): Promise<CryptoKey> {
  return (await importJWK(JSON.parse(jwkJson) as JWK, "EdDSA")) as CryptoKey;
}

/** The caller of a request, or undefined for a missing or bad token (the server answers 401). */
export async function callerOf(
  authorization: string | undefined,
  key: CryptoKey,
): Promise<Caller | undefined> {
  const match = authorization
    ? /^(Bearer|Token|JWT)\s+([A-Za-z0-9._~+/=-]{1,4096})\s*$/i.exec(authorization)
    : null;
  if (!match) return undefined;
  try {
    const { payload } = await jwtVerify(match[2]!, key, {
      algorithms: ["EdDSA"],
      issuer: "tavola-auth",
      audience: "tavola",
      typ: "at+jwt",
      requiredClaims: ["sub", "exp", "iat"],
      maxTokenAge: 86_400,
      clockTolerance: 5,
    });
    const id = Number(payload.sub);
    if (!Number.isSafeInteger(id) || id < 1 || typeof payload.username !== "string") return undefined;
    if (typeof payload.iat !== "number" || payload.iat > Date.now() / 1000 + 5) return undefined;
    return { id, username: payload.username };
  } catch {
    return undefined;
  }
}
