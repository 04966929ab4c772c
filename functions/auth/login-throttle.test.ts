import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { createUser, uniqueName } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { authTestbed, registered } from "./test-support.ts";

// Every scrypt derivation the process runs, with its cost parameters, and how many ran at once: the
// work itself is counted, not the time it took.
const scrypts = vi.hoisted(() => ({
  calls: [] as { N: number; r: number; p: number }[],
  active: 0,
  maxActive: 0,
}));
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  const scrypt = (...args: unknown[]) => {
    const options = args[3] as { N: number; r: number; p: number };
    const callback = args[4] as (error: Error | null, key: Buffer) => void;
    scrypts.calls.push({ N: options.N, r: options.r, p: options.p });
    scrypts.active++;
    scrypts.maxActive = Math.max(scrypts.maxActive, scrypts.active);
    (crypto.scrypt as (...a: unknown[]) => void)(...args.slice(0, 4), (error: Error | null, key: Buffer) => {
      scrypts.active--;
      callback(error, key);
    });
  };
  return { ...crypto, default: { ...crypto, scrypt }, scrypt };
});

const t = useTestDb();
const limits = { LOGIN_MAX_FAILURES: "3", LOGIN_FAILURE_WINDOW_SECONDS: "900" };

/** A username's failures from every client ("*"), or from one client (the tests' requests have no socket: "local"). */
function failuresOf(username: string, client = "*") {
  return t.db
    .selectFrom("login_failures")
    .selectAll()
    .where("username", "=", username.toLowerCase())
    .where("client", "=", client)
    .executeTakeFirst();
}

const login = (app: Parameters<typeof call>[0], username: string, password: string) =>
  call(app, "POST", "/api/token", { json: { username, password } });

describe("failed logins per username, counted in PostgreSQL", () => {
  it("refuse with 429 and Retry-After on every instance once the limit is reached", async () => {
    const a = await authTestbed(t.db, { env: limits });
    const b = await authTestbed(t.db, { env: limits, keys: a.keys });
    const user = await registered(a.app);
    // Three failures spread over two instances and two spellings of one username.
    expect((await login(a.app, user.username, "wrong-1")).status).toBe(401);
    expect((await login(b.app, user.username.toUpperCase(), "wrong-2")).status).toBe(401);
    expect((await login(a.app, user.username, "wrong-3")).status).toBe(401);
    expect((await failuresOf(user.username))?.failures).toBe(3);

    const hashesBefore = scrypts.calls.length;
    // Locked out now, even with the right password, on both instances and at djoser's login.
    for (const res of [
      await login(b.app, user.username, user.password),
      await login(a.app, user.username, user.password),
      await call(b.app, "POST", "/token/login", {
        json: { username: user.username, password: user.password },
      }),
    ]) {
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    // A locked-out attempt costs no hashing, and issues nothing.
    expect(scrypts.calls.length).toBe(hashesBefore);
    expect(
      await t.db.selectFrom("refresh_tokens").selectAll().where("user_id", "=", user.id).execute(),
    ).toEqual([]);
    // Another username is not affected.
    const other = await registered(a.app);
    expect((await login(b.app, other.username, other.password)).status).toBe(200);
  });

  it("count unknown usernames too, so a lockout tells nothing about who exists", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const ghost = uniqueName("ghost");
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(app, ghost, "guess-guess")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await failuresOf(ghost))?.failures).toBe(3);
  });

  it("count a 150-character username that lower-cases longer without a database error", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const res = await login(app, "\u0130".repeat(150), "guess-guess"); // "İ" lower-cases to two characters
    expect(res.status).toBe(401);
    const rows = await t.db
      .selectFrom("login_failures")
      .select("failures")
      .where("username", "like", "i%")
      .execute();
    expect(rows).toEqual([{ failures: 1 }, { failures: 1 }]);
  });

  it("are cleared for the client by a successful login; the username's total runs out its window", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const user = await registered(app);
    await login(app, user.username, "wrong-1");
    await login(app, user.username, "wrong-2");
    expect((await failuresOf(user.username, "local"))?.failures).toBe(2);
    expect((await login(app, user.username, user.password)).status).toBe(200);
    expect(await failuresOf(user.username, "local")).toBeUndefined();
    expect((await failuresOf(user.username))?.failures).toBe(2);
  });

  it("start over once the window has passed", async () => {
    const { app } = await authTestbed(t.db, { env: limits });
    const ghost = uniqueName("late");
    for (let i = 0; i < 3; i++) await login(app, ghost, "guess-guess");
    expect((await login(app, ghost, "guess-guess")).status).toBe(429);
    await t.db
      .updateTable("login_failures")
      .set({ window_started_at: sql<Date>`now() - interval '901 seconds'` })
      .where("username", "=", ghost.toLowerCase())
      .execute();
    expect((await login(app, ghost, "guess-guess")).status).toBe(401);
    expect((await failuresOf(ghost))?.failures).toBe(1);
  });

  it("hold against a burst of concurrent guesses: the check and the count share the hash slot", async () => {
    const { app } = await authTestbed(t.db, { env: { ...limits, PASSWORD_HASH_CONCURRENCY: "1" } });
    const ghost = uniqueName("burst");
    const results = await Promise.all(Array.from({ length: 8 }, () => login(app, ghost, "guess-guess")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    expect((await failuresOf(ghost))?.failures).toBe(3);
  });
});

describe("password hashing work", () => {
  it("is the same for an unknown username as for a wrong password: one scrypt of equal cost", async () => {
    const { app } = await authTestbed(t.db);
    const user = await registered(app);
    const fixture = await createUser(t.db); // its stored hash is not scrypt at all

    const attempt = async (username: string, password: string) => {
      const before = scrypts.calls.length;
      const res = await login(app, username, password);
      return { status: res.status, body: res.body, work: scrypts.calls.slice(before) };
    };
    const wrongPassword = await attempt(user.username, "wrong-password");
    const unknownUser = await attempt(uniqueName("nobody"), "wrong-password");
    const unusableHash = await attempt(fixture.username, "wrong-password");
    const rightPassword = await attempt(user.username, user.password);

    expect(wrongPassword).toMatchObject({ status: 401, work: [{ N: 2 ** 15, r: 8, p: 1 }] });
    expect(unknownUser).toEqual(wrongPassword);
    expect(unusableHash).toEqual(wrongPassword);
    expect(rightPassword).toMatchObject({ status: 200, work: wrongPassword.work });
  });

  it("never runs more hashes at once than PASSWORD_HASH_CONCURRENCY, for logins and registrations", async () => {
    const cap = 2;
    const { app } = await authTestbed(t.db, { env: { PASSWORD_HASH_CONCURRENCY: String(cap) } });
    scrypts.calls.length = 0;
    scrypts.maxActive = 0;
    const burst = [
      ...Array.from({ length: 16 }, () => login(app, uniqueName("burst"), "guess-guess")),
      ...Array.from({ length: 4 }, () =>
        call(app, "POST", "/api/users", { json: { username: uniqueName("new"), password: "long-enough-1" } }),
      ),
    ];
    const statuses = (await Promise.all(burst)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(16);
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(scrypts.calls).toHaveLength(20);
    // Reaching the cap shows the burst did run concurrently; never passing it is the point.
    expect(scrypts.maxActive).toBe(cap);
  });
});
