import { type CryptoKey, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { signAccessToken } from "./sign.ts";
import { createVerifier } from "./verifier.ts";

// The route-level list of forged tokens lives in functions/auth/access-token.test.ts; these pin the
// verifier's own mapping and its kid rule.

const issuer = "tavola-auth";
const audience = "tavola";

async function keys() {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA");
  return { privateKey, verify: createVerifier({ publicKey, issuer, audience }) };
}

function token(privateKey: CryptoKey, header: Record<string, unknown>, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ username: "ann", groups: ["manager"], is_admin: false, ...claims })
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", ...header })
    .setSubject("7")
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(privateKey);
}

describe("createVerifier", () => {
  it("maps a token signed by signAccessToken to the principal", async () => {
    const { privateKey, verify } = await keys();
    const access = await signAccessToken(
      { userId: 7, username: "ann", groups: ["delivery-crew"], isAdmin: true },
      { privateKey, keyId: "k1", issuer, audience, ttlSeconds: 600 },
    );
    expect(await verify(access)).toEqual({
      id: 7,
      username: "ann",
      groups: ["delivery-crew"],
      isAdmin: true,
    });
  });

  it("keeps only known groups and takes is_admin only when it is exactly true", async () => {
    const { privateKey, verify } = await keys();
    const access = await token(privateKey, {}, { groups: ["manager", "root", 3], is_admin: "true" });
    expect(await verify(access)).toMatchObject({ groups: ["manager"], isAdmin: false });
  });

  it("accepts a plain kid or none, and refuses a kid with other characters", async () => {
    const { privateKey, verify } = await keys();
    expect((await verify(await token(privateKey, { kid: "local-1a2b.c_D" }))).id).toBe(7);
    expect((await verify(await token(privateKey, {}))).id).toBe(7);
    for (const kid of ["../keys/signing.jwk", "1; drop table users", "", "k".repeat(65), ["k1"]]) {
      const failure = await verify(await token(privateKey, { kid })).catch((e: unknown) => e);
      expect(failure, JSON.stringify(kid)).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("unauthenticated");
    }
  });

  it("tells an expired token apart in the detail, and nothing more", async () => {
    const { privateKey, verify } = await keys();
    const access = await token(privateKey, {});
    const later = createVerifier({
      publicKey: (await generateKeyPair("EdDSA")).publicKey,
      issuer,
      audience,
    });
    await expect(later(access)).rejects.toThrow("The access token is not valid.");
    const expired = await new SignJWT({ username: "ann" })
      .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt" })
      .setSubject("7")
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    await expect(verify(expired)).rejects.toThrow("The access token has expired.");
  });
});
