import { describe, expect, it } from "vitest";
import { uniqueName } from "../../shared/testing/fixtures.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { authTestbed } from "./test-support.ts";

// Issue 12, finding 3: registration (one scrypt hash a call) and both login forms were not throttled per
// client. Now every public route is; what is refused never reaches the database.

const t = useTestDb();
const fromAddress = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

async function usersNamed(usernames: string[]) {
  return t.db.selectFrom("users").select("username").where("username", "in", usernames).execute();
}

describe("the auth function's public routes are throttled per client", () => {
  it("refuses a third registration from one address in the window, and creates no user for it", async () => {
    const { app } = await authTestbed(t.db, { env: { THROTTLE_LIMIT: "2" } });
    const names = [uniqueName("thr"), uniqueName("thr"), uniqueName("thr")];
    const statuses: number[] = [];
    for (const [i, username] of names.entries()) {
      const path = i === 1 ? "/api/users" : "/auth/users";
      const res = await app.request(
        path,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password: "long enough pw" }),
        },
        fromAddress("10.9.0.1"),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect((await usersNamed(names)).map((u) => u.username).sort()).toEqual(names.slice(0, 2).sort());
    // Another address still registers.
    const other = uniqueName("thr");
    const res = await app.request(
      "/auth/users",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: other, password: "long enough pw" }),
      },
      fromAddress("10.9.0.2"),
    );
    expect(res.status).toBe(201);
  });

  it("throttles both djoser login forms, before any password is checked or failure counted", async () => {
    const { app } = await authTestbed(t.db, { env: { THROTTLE_LIMIT: "2" } });
    const username = uniqueName("thl");
    const login = (path: string) =>
      app.request(
        path,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password: "wrong password" }),
        },
        fromAddress("10.9.1.1"),
      );
    expect((await login("/token/login")).status).toBe(400);
    expect((await login("/auth/token/login")).status).toBe(400);
    const refused = await login("/token/login");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login("/auth/token/login")).status).toBe(429);
    const failures = await t.db
      .selectFrom("login_failures")
      .select("failures")
      .where("username", "=", username.toLowerCase())
      .executeTakeFirst();
    expect(failures?.failures).toBe(2);
  });
});
