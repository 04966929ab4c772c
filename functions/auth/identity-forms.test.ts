import { type JWTPayload, SignJWT } from "jose";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { type AuthTestApp, authTestbed, registered } from "./test-support.ts";

// Issue 12, finding 6: a fullwidth twin of an existing username registered as a new account, and a
// token's `sub` of "1e3" was read as user 1000.

const t = useTestDb();

/** The fullwidth form of plain ASCII letters and digits ("ａｂｃ１"), which NFKC folds back. */
const fullwidth = (s: string) =>
  Array.from(s, (ch) =>
    /[A-Za-z0-9]/.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + 0xfee0) : ch,
  ).join("");

async function usersLike(username: string) {
  return t.db
    .selectFrom("users")
    .select(["id", "username"])
    .where(sql<string>`lower(username)`, "=", username.toLowerCase())
    .execute();
}

describe("usernames are NFKC-normalised", () => {
  it("refuses the fullwidth twin of an existing username as taken, creating nothing", async () => {
    const { app } = await authTestbed(t.db);
    const owner = await registered(app, { username: uniqueName("nfkc") });
    const twin = fullwidth(owner.username);
    expect(twin).not.toBe(owner.username);
    const res = await call(app, "POST", "/auth/users", {
      json: { username: twin, password: "another long pw" },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "username", message: "is already taken" }]);
    expect(await usersLike(owner.username)).toEqual([{ id: owner.id, username: owner.username }]);
    expect(await usersLike(twin)).toEqual([]);
  });

  it("stores a new name in its NFKC form, and logs in and counts failures under that form", async () => {
    const { app } = await authTestbed(t.db);
    const plain = uniqueName("wide");
    const res = await call(app, "POST", "/api/users", {
      json: { username: fullwidth(plain), password: "long enough pw" },
    });
    expect(res.status).toBe(201);
    expect(res.body.username).toBe(plain);
    expect(await usersLike(plain)).toEqual([{ id: res.body.id, username: plain }]);
    // Either spelling logs in to the one account...
    const login = (username: string, password: string) =>
      call(app, "POST", "/api/token", { json: { username, password } });
    expect((await login(plain, "long enough pw")).status).toBe(200);
    expect((await login(fullwidth(plain), "long enough pw")).status).toBe(200);
    // ...and the failures of both spellings share one count.
    await login(plain, "wrong one");
    await login(fullwidth(plain), "wrong two");
    const totals = await t.db
      .selectFrom("login_failures")
      .select(["username", "failures"])
      .where("client", "=", "*")
      .where("username", "in", [plain.toLowerCase(), fullwidth(plain).toLowerCase()])
      .execute();
    expect(totals).toEqual([{ username: plain.toLowerCase(), failures: 2 }]);
  });
});

describe("a token's sub", () => {
  async function tokenWithSub(auth: AuthTestApp, sub: unknown) {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = { sub: sub as string, username: "whoever", groups: [], is_admin: false };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid: auth.keys.keyId })
      .setIssuer(auth.config.TOKEN_ISSUER)
      .setAudience(auth.config.TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(auth.keys.privateKey);
  }

  it("is accepted only as a canonical positive integer: '1e3' is not user 1000", async () => {
    const auth = await authTestbed(t.db);
    const username = uniqueName("thousand");
    // ids are generated always: only OVERRIDING SYSTEM VALUE picks one.
    await sql`insert into users (id, username, email, password_hash) overriding system value
              values (1000, ${username}, null, '!fixture')`.execute(t.db);
    const me = async (sub: unknown) =>
      call(auth.app, "GET", "/api/users/me", { token: await tokenWithSub(auth, sub) });
    const control = await me("1000");
    expect(control.status).toBe(200);
    expect(control.body).toMatchObject({ id: 1000, username });
    for (const sub of [
      "1e3",
      "01000",
      "+1000",
      "1000.0",
      " 1000",
      "0x3e8",
      "1000 ",
      "0",
      "-1",
      "99999999999999999",
    ]) {
      const res = await me(sub);
      expect(res.status, sub).toBe(401);
      expect(res.headers.get("www-authenticate"), sub).toMatch(/^Bearer/);
    }
  });
});
