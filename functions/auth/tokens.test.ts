import { createHash } from "node:crypto";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { authTestbed, registered } from "./test-support.ts";

const t = useTestDb();

function tokensOf(userId: number) {
  return t.db.selectFrom("refresh_tokens").selectAll().where("user_id", "=", userId).orderBy("id").execute();
}

/**
 * djoser's and DRF's logins (form-encoded, as Little Lemon clients send them): each path answers one
 * field, an access token, and stores no refresh token.
 */
function itAnswersAnAccessTokenAlone(field: "auth_token" | "token", paths: string[]) {
  it.each(paths)(`answers {${field}} at %s, an access token, and stores no refresh token`, async (path) => {
    const { app, keys } = await authTestbed(t.db);
    const user = await registered(app);
    const res = await call(app, "POST", path, {
      form: { username: user.username, password: user.password },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(res.body)).toEqual([field]);
    expect((await keys.verify(res.body[field])).id).toBe(user.id);
    expect(await tokensOf(user.id)).toEqual([]);
  });
}

describe("POST /api/token", () => {
  it("answers an access token with current groups and a refresh token stored only as its hash", async () => {
    const { app, keys } = await authTestbed(t.db);
    const user = await registered(app);
    await t.db.insertInto("user_groups").values({ user_id: user.id, group_name: "manager" }).execute();
    const res = await call(app, "POST", "/api/token/", {
      json: { username: user.username.toUpperCase(), password: user.password },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      access: expect.any(String),
      refresh: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: "Bearer",
      expires_in: 600,
    });
    expect(await keys.verify(res.body.access)).toEqual({
      id: user.id,
      username: user.username,
      groups: ["manager"],
      isAdmin: false,
    });
    expect(decodeProtectedHeader(res.body.access)).toEqual({ alg: "EdDSA", typ: "at+jwt", kid: keys.keyId });
    const rows = await tokensOf(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(createHash("sha256").update(res.body.refresh).digest("base64url"));
    expect(JSON.stringify(rows)).not.toContain(res.body.refresh);
  });

  it("accepts form-encoded credentials", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const res = await call(app, "POST", "/api/token", {
      form: { username: user.username, password: user.password },
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe("Bearer");
  });

  it("answers a wrong password and an unknown user with the same 401, issuing nothing", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const wrong = await call(app, "POST", "/api/token", {
      json: { username: user.username, password: "nope-nope" },
    });
    const unknown = await call(app, "POST", "/api/token", {
      json: { username: uniqueName("ghost"), password: user.password },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.detail).toBe("No active account found with the given credentials.");
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
    expect(await tokensOf(user.id)).toEqual([]);
  });

  it("refuses missing credentials with 400", async () => {
    const { app } = await authTestbed(t.db);
    const res = await call(app, "POST", "/api/token", { json: { username: "someone" } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "password" })]);
  });
});

describe("POST /token/login (djoser)", () => {
  itAnswersAnAccessTokenAlone("auth_token", ["/token/login", "/auth/token/login/"]);

  it("answers bad credentials with 400, detail and non_field_errors, as djoser does", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const res = await call(app, "POST", "/auth/token/login", {
      json: { username: user.username, password: "wrong-one" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toMatchObject({
      detail: "Unable to log in with provided credentials.",
      non_field_errors: ["Unable to log in with provided credentials."],
    });
  });
});

describe("POST /api-token-auth/ (DRF's obtain_auth_token)", () => {
  itAnswersAnAccessTokenAlone("token", ["/api-token-auth/", "/api/api-token-auth/", "/api-token-auth"]);

  it("answers bad credentials with 400 and non_field_errors, as DRF does, and a missing field in words", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const res = await call(app, "POST", "/api-token-auth/", {
      json: { username: user.username, password: "nope" },
    });
    expect(res.status).toBe(400);
    expect(res.body.non_field_errors).toEqual(["Unable to log in with provided credentials."]);
    const missing = await call(app, "POST", "/api-token-auth/", { json: { username: user.username } });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe("password is required.");
    expect(await tokensOf(user.id)).toEqual([]);
  });
});

describe("POST /api/token/refresh", () => {
  it("spends the token and issues a new pair in the same family, with groups read afresh", async () => {
    const { app, keys } = await authTestbed(t.db);
    const user = await registered(app);
    const first = await call(app, "POST", "/api/token", { json: user });
    expect((await keys.verify(first.body.access)).groups).toEqual([]);
    await t.db.insertInto("user_groups").values({ user_id: user.id, group_name: "delivery-crew" }).execute();

    const res = await call(app, "POST", "/api/token/refresh", { form: { refresh: first.body.refresh } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.refresh).not.toBe(first.body.refresh);
    expect(await keys.verify(res.body.access)).toMatchObject({ id: user.id, groups: ["delivery-crew"] });
    const [spent, fresh] = await tokensOf(user.id);
    expect(spent?.used_at).toBeInstanceOf(Date);
    expect(fresh?.used_at).toBeNull();
    expect(fresh?.family_id).toBe(spent?.family_id);
    expect(fresh?.revoked_at).toBeNull();
  });

  it("revokes the whole family when a spent token is presented again, and only that family", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const login = await call(app, "POST", "/api/token", { json: user });
    const other = await call(app, "POST", "/api/token", { json: user });
    const second = await call(app, "POST", "/api/token/refresh", { json: { refresh: login.body.refresh } });
    expect(second.status).toBe(200);

    const replay = await call(app, "POST", "/api/token/refresh", { json: { refresh: login.body.refresh } });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("www-authenticate")).toMatch(/^Bearer/);
    // The token issued by the good refresh is dead too: whoever held it is logged out.
    const after = await call(app, "POST", "/api/token/refresh", { json: { refresh: second.body.refresh } });
    expect(after.status).toBe(401);

    const rows = await tokensOf(user.id);
    const family = rows.filter((r) => r.family_id === rows[0]?.family_id);
    expect(family).toHaveLength(2);
    expect(family.every((r) => r.revoked_at !== null)).toBe(true);
    const others = rows.filter((r) => r.family_id !== rows[0]?.family_id);
    expect(others.map((r) => r.revoked_at)).toEqual([null]);
    expect(
      (await call(app, "POST", "/api/token/refresh", { json: { refresh: other.body.refresh } })).status,
    ).toBe(200);
  });

  it("lets only one of several concurrent refreshes of one token succeed", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const login = await call(app, "POST", "/api/token", { json: user });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        call(app, "POST", "/api/token/refresh", { json: { refresh: login.body.refresh } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    // The losers presented a spent token: reuse, so the family (the winner's new token too) is revoked.
    const rows = await tokensOf(user.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
  });

  it("refuses an expired, an unknown and a missing refresh token without spending anything", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const login = await call(app, "POST", "/api/token", { json: user });
    await t.db
      .updateTable("refresh_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.id)
      .execute();
    const expired = await call(app, "POST", "/api/token/refresh", { json: { refresh: login.body.refresh } });
    const unknown = await call(app, "POST", "/api/token/refresh", { json: { refresh: "A".repeat(43) } });
    const missing = await call(app, "POST", "/api/token/refresh", { json: {} });
    expect([expired.status, unknown.status, missing.status]).toEqual([401, 401, 400]);
    expect(expired.body).toEqual(unknown.body);
    const rows = await tokensOf(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.used_at).toBeNull();
  });
});

describe("POST /api/token/revoke", () => {
  it("answers 204 and revokes the family, after which its tokens refresh no more", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const login = await call(app, "POST", "/api/token", { json: user });
    const next = await call(app, "POST", "/api/token/refresh", { json: { refresh: login.body.refresh } });
    const res = await call(app, "POST", "/api/token/revoke/", { json: { refresh: next.body.refresh } });
    expect(res.status).toBe(204);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const rows = await tokensOf(user.id);
    expect(rows.map((r) => r.revoked_at !== null)).toEqual([true, true]);
    const refused = await call(app, "POST", "/api/token/refresh", { json: { refresh: next.body.refresh } });
    expect(refused.status).toBe(401);
  });

  it("answers 204 for an unknown token (RFC 7009) and 400 for a missing one, changing nothing", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    await call(app, "POST", "/api/token", { json: user });
    expect((await call(app, "POST", "/api/token/revoke", { json: { refresh: "not-a-token" } })).status).toBe(
      204,
    );
    expect((await call(app, "POST", "/api/token/revoke", { json: {} })).status).toBe(400);
    expect((await tokensOf(user.id)).map((r) => r.revoked_at)).toEqual([null]);
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes the public key alone, with kid, alg and use, and it verifies issued tokens", async () => {
    const { app, keys } = await authTestbed(t.db);
    const user = await registered(app);
    const res = await call(app, "GET", "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    const [jwk] = res.body.keys;
    expect(Object.keys(jwk).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: keys.keyId });
    for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(jwk).not.toHaveProperty(secret);
    const login = await call(app, "POST", "/api/token", { json: user });
    const { payload } = await jwtVerify(login.body.access, await importJWK(jwk, "EdDSA"));
    expect(payload.sub).toBe(String(user.id));
  });
});
