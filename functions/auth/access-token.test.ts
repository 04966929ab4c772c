import { type CryptoKey, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../shared/auth/principal.ts";
import { createUser } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { type AuthTestApp, authTestbed, registered } from "./test-support.ts";

// Every way an access token can be forged or misused, presented to a route that needs one
// (`/api/users/me`): each must be a 401 with a WWW-Authenticate challenge, whatever the reason.

const t = useTestDb();
let auth: AuthTestApp;
let user: Principal;

beforeAll(async () => {
  auth = await authTestbed(t.db);
  user = await createUser(t.db);
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as the auth function would sign it, with any claim or header member changed. */
function forge(
  change: { payload?: JWTPayload; header?: Record<string, unknown>; key?: CryptoKey; omit?: string[] } = {},
) {
  const now = nowSeconds();
  const payload: JWTPayload = {
    sub: String(user.id),
    username: user.username,
    groups: [],
    is_admin: false,
    iss: auth.config.TOKEN_ISSUER,
    aud: auth.config.TOKEN_AUDIENCE,
    iat: now,
    exp: now + 600,
    ...change.payload,
  };
  for (const claim of change.omit ?? []) delete payload[claim];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid: auth.keys.keyId, ...change.header })
    .sign(change.key ?? auth.keys.privateKey);
}

const forgeries: [string, () => Promise<string>][] = [
  [
    "a tampered payload",
    async () => {
      const [header, , signature] = (await forge()).split(".");
      const payload = { sub: String(user.id), username: user.username, groups: ["manager"], is_admin: true };
      return `${header}.${b64({ ...payload, iss: "tavola-auth", aud: "tavola", iat: nowSeconds(), exp: nowSeconds() + 600 })}.${signature}`;
    },
  ],
  [
    "a token signed with another key",
    async () => forge({ key: (await generateKeyPair("EdDSA")).privateKey }),
  ],
  [
    "alg: none",
    async () => {
      const [, payload] = (await forge()).split(".");
      return `${b64({ alg: "none", typ: "at+jwt" })}.${payload}.`;
    },
  ],
  [
    "HS256 signed with the public key as the secret",
    async () => {
      const secret = new TextEncoder().encode(await exportSPKI(auth.keys.publicKey));
      const [, payload] = (await forge()).split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(secret);
    },
  ],
  ["an expired token", () => forge({ payload: { iat: nowSeconds() - 1200, exp: nowSeconds() - 600 } })],
  ["a token with no exp", () => forge({ omit: ["exp"] })],
  [
    "a token whose iat is an hour ahead",
    () => forge({ payload: { iat: nowSeconds() + 3600, exp: nowSeconds() + 4200 } }),
  ],
  ["a token for another audience", () => forge({ payload: { aud: "someone-else" } })],
  ["a token from another issuer", () => forge({ payload: { iss: "evil-auth" } })],
  ["a token with no sub", () => forge({ omit: ["sub"] })],
  ["a JWT whose typ is not at+jwt (refresh-like)", () => forge({ header: { typ: "refresh+jwt" } })],
  ["a JWT with no typ", () => forge({ header: { typ: undefined } })],
  ["a kid holding a path", () => forge({ header: { kid: "../../../../etc/passwd" } })],
  ["a kid holding SQL", () => forge({ header: { kid: "x' OR '1'='1'; --" } })],
  ["a kid that is not a string", () => forge({ header: { kid: 7 } })],
];

describe("access tokens presented to a protected route", () => {
  it("accept a well-formed token (the forgeries below differ from it in one thing each)", async () => {
    const res = await call(auth.app, "GET", "/api/users/me", { token: await forge() });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it.each(forgeries)("refuse %s with 401 and WWW-Authenticate: Bearer", async (_, make) => {
    const token = await make();
    for (const scheme of ["Bearer", "Token"]) {
      const res = await call(auth.app, "GET", "/api/users/me", {
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("refuse an opaque refresh token presented as an access token", async () => {
    const account = await registered(auth.app);
    const login = await call(auth.app, "POST", "/api/token", { json: account });
    expect(login.status).toBe(200);
    const res = await call(auth.app, "GET", "/api/users/me", { token: login.body.refresh });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await call(auth.app, "GET", "/api/users/me", { token: login.body.access })).status).toBe(200);
  });

  it("refuse a missing token, an unknown scheme and a malformed header", async () => {
    for (const authorization of [undefined, `Basic ${b64("a:b")}`, "Bearer", "Bearer a b"]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const res = await call(auth.app, "GET", "/api/users/me", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });
});
