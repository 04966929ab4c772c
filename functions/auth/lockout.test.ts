import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../shared/http/env.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { authTestbed, registered } from "./test-support.ts";

// Issue 12, finding 5: five wrong passwords from anywhere locked any account, the admin's included, for
// everyone. Now failures are counted per username and client, under a far higher per-username ceiling.

const t = useTestDb();
const limits = {
  LOGIN_MAX_FAILURES: "3",
  LOGIN_MAX_FAILURES_PER_USERNAME: "7",
  LOGIN_FAILURE_WINDOW_SECONDS: "900",
};

function logIn(app: Hono<AppEnv>, address: string, username: string, password: string) {
  return app.request(
    "/api/token",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    },
    { incoming: { socket: { remoteAddress: address } } },
  );
}

async function counts(username: string) {
  const rows = await t.db
    .selectFrom("login_failures")
    .select(["client", "failures"])
    .where("username", "=", username.toLowerCase())
    .execute();
  return Object.fromEntries(rows.map((r) => [r.client, r.failures]));
}

describe("a lockout a stranger cannot aim", () => {
  it("locks out the guessing client, not the owner logging in from elsewhere", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const owner = await registered(app);
    for (let i = 0; i < 3; i++)
      expect((await logIn(app, "203.0.113.66", owner.username, `nope-${i}`)).status).toBe(401);
    // The stranger is refused now, even with the right password...
    expect((await logIn(app, "203.0.113.66", owner.username, owner.password)).status).toBe(429);
    expect(await counts(owner.username)).toEqual({ "203.0.113.66": 3, "*": 3 });
    // ...while the owner, from their own address, logs in.
    const res = await logIn(app, "198.51.100.7", owner.username, owner.password);
    expect(res.status).toBe(200);
    const refresh = await t.db
      .selectFrom("refresh_tokens")
      .select("user_id")
      .where("user_id", "=", owner.id)
      .execute();
    expect(refresh).toHaveLength(1);
  });

  it("stops a guess spread over many addresses at the per-username ceiling, for every client", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const owner = await registered(app);
    const statuses: number[] = [];
    // Two guesses from each of four addresses: no address reaches its own limit of three.
    for (let a = 1; a <= 4; a++)
      for (let i = 0; i < 2; i++)
        statuses.push((await logIn(app, `192.0.2.${a}`, owner.username, `guess-${a}-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 429]);
    expect((await counts(owner.username))["*"]).toBe(7);
    // The ceiling holds for a fresh address and for the right password alike, and issues nothing.
    expect((await logIn(app, "192.0.2.200", owner.username, owner.password)).status).toBe(429);
    expect(
      await t.db.selectFrom("refresh_tokens").select("id").where("user_id", "=", owner.id).execute(),
    ).toEqual([]);
  });
});
