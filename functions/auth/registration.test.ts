import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createActor } from "../../shared/testing/actors.ts";
import { createUser, uniqueName } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { authTestbed } from "./test-support.ts";

const t = useTestDb();

async function usersNamed(username: string) {
  return t.db
    .selectFrom("users")
    .selectAll()
    .where(sql<string>`lower(username)`, "=", username.toLowerCase())
    .execute();
}

async function userCount(): Promise<number> {
  const row = await t.db
    .selectFrom("users")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe("POST /api/users (registration)", () => {
  it("creates a customer and stores only an scrypt hash of the password", async () => {
    const { app } = await authTestbed(t.db);
    const username = uniqueName("reg");
    const res = await call(app, "POST", "/api/users", {
      json: { username, password: "s3cret-enough", email: "a@example.test" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), username, email: "a@example.test" });
    const [row] = await usersNamed(username);
    expect(row?.id).toBe(res.body.id);
    expect(row?.is_admin).toBe(false);
    expect(row?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row?.password_hash).not.toContain("s3cret-enough");
  });

  it("ignores is_admin, groups and id sent by the client", async () => {
    const { app } = await authTestbed(t.db);
    const username = uniqueName("sneaky");
    const res = await call(app, "POST", "/api/users/", {
      json: { username, password: "s3cret-enough", is_admin: true, groups: ["manager"], id: 999_999 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), username, email: null });
    expect(res.body.id).not.toBe(999_999);
    const [row] = await usersNamed(username);
    expect(row?.is_admin).toBe(false);
    const groups = await t.db.selectFrom("user_groups").selectAll().where("user_id", "=", row!.id).execute();
    expect(groups).toEqual([]);
  });

  it("accepts a form-encoded body at djoser's path, an empty email meaning none", async () => {
    const { app } = await authTestbed(t.db);
    const username = uniqueName("form");
    const res = await call(app, "POST", "/auth/users/", {
      form: { username, password: "s3cret-enough", email: "" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username, email: null });
    expect(await usersNamed(username)).toHaveLength(1);
  });

  it("refuses a username taken in another case with a field error, adding nobody", async () => {
    const { app } = await authTestbed(t.db);
    const existing = await createUser(t.db, { username: uniqueName("Taken") });
    const before = await userCount();
    const res = await call(app, "POST", "/api/users", {
      json: { username: existing.username.toUpperCase(), password: "s3cret-enough" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toEqual([{ path: "username", message: "is already taken" }]);
    expect(await userCount()).toBe(before);
  });

  it("answers the same 400 when a concurrent registration wins the race to the unique index", async () => {
    const username = uniqueName("race");
    // The rival is inserted while this registration hashes: after its check, before its insert.
    const { app } = await authTestbed(t.db, {
      hashLimiter: {
        run: async (task) => {
          await createUser(t.db, { username });
          return task();
        },
      },
    });
    const res = await call(app, "POST", "/api/users", { json: { username, password: "s3cret-enough" } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "username", message: "is already taken" }]);
    const rows = await usersNamed(username);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.password_hash).toBe("!fixture");
  });

  it.each([
    ["a password under 8 characters", { password: "short7!" }, "password"],
    ["a password equal to the username", { password: "SAMEASNAME" }, "password"],
    ["a username with a space", { username: "two words" }, "username"],
    ["a username with a NUL byte", { username: "nul\u0000byte" }, "username"],
    ["a username over 150 characters", { username: "x".repeat(151) }, "username"],
    ["an invalid email", { email: "not-an-email" }, "email"],
    ["no password", { password: undefined }, "password"],
  ])("refuses %s with 400 and adds nobody", async (_, override, field) => {
    const { app } = await authTestbed(t.db);
    const before = await userCount();
    const res = await call(app, "POST", "/api/users", {
      json: { username: "sameasname", password: "long-enough-1", ...override },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(typeof res.body.detail).toBe("string");
    expect(await userCount()).toBe(before);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const { app } = await authTestbed(t.db);
    const before = await userCount();
    const broken = await app.request("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": ',
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get("content-type")).toContain("application/problem+json");
    expect(await userCount()).toBe(before);
  });
});

describe("GET /api/users/me", () => {
  it.each(["/api/users/me", "/api/users/users/me/", "/auth/users/me"])(
    "answers the caller's profile with current groups at %s",
    async (path) => {
      const { app, keys } = await authTestbed(t.db);
      const user = await createUser(t.db, { groups: ["manager", "delivery-crew"] });
      // The token says no groups; the profile shows what the database says now.
      const token = await keys.tokenFor({ id: user.id, username: user.username });
      const res = await call(app, "GET", path, { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: user.id,
        username: user.username,
        email: `${user.username}@example.test`,
        groups: ["delivery-crew", "manager"],
      });
    },
  );

  it("accepts djoser's Token scheme", async () => {
    const { app, keys } = await authTestbed(t.db);
    const { principal: user, token } = await createActor(t.db, keys);
    const res = await call(app, "GET", "/auth/users/me/", { headers: { authorization: `Token ${token}` } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it("answers 401 with WWW-Authenticate without a token, and for a user deleted since", async () => {
    const { app, keys } = await authTestbed(t.db);
    const none = await call(app, "GET", "/api/users/me");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const { principal: user, token } = await createActor(t.db, keys);
    await t.db.deleteFrom("users").where("id", "=", user.id).execute();
    const gone = await call(app, "GET", "/api/users/me", { token });
    expect(gone.status).toBe(401);
    expect(gone.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});
