import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { assembleTest, postEvent } from "../../shared/testing/event-fixtures.ts";
import { createUser, uniqueName, useTestDb } from "../../shared/testing/index.ts";
import { authFunction } from "./definition.ts";

const t = useTestDb();
// auth generates its local key pair under DATA_DIR; keep it in a directory of this file's own.
const dataDir = await mkdtemp(join(tmpdir(), "tavola-auth-housekeeping-"));
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const daysAgo = (days: number) => sql<Date>`now() - make_interval(days => ${days})`;

describe("auth on its PingSource tick", () => {
  it("deletes login counters and refresh tokens dead for a week, and keeps the live ones", async () => {
    const user = await createUser(t.db);
    const stale = uniqueName("stale");
    const recent = uniqueName("recent");
    await t.db
      .insertInto("login_failures")
      .values([
        { username: stale, failures: 3, window_started_at: daysAgo(9), last_failed_at: daysAgo(8) },
        { username: recent, failures: 2, window_started_at: daysAgo(0), last_failed_at: daysAgo(0) },
      ])
      .execute();
    const token = (hash: string, expiresDaysAgo: number) => ({
      family_id: crypto.randomUUID(),
      user_id: user.id,
      token_hash: hash,
      expires_at: daysAgo(expiresDaysAgo),
      used_at: null,
      revoked_at: null,
    });
    await t.db
      .insertInto("refresh_tokens")
      .values([token("dead-hash", 8), token("expired-yesterday", 1), token("live-hash", -10)])
      .execute();

    const app = await assembleTest(authFunction, t.db, {
      env: { DATA_DIR: dataDir },
    });
    const res = await postEvent(app, {
      source: "/apis/v1/namespaces/tavola/pingsources/housekeeping-auth",
      type: "dev.knative.sources.ping",
      data: { task: "housekeeping" },
    });
    expect(res.status).toBe(200);
    expect(res.body.pruned).toMatchObject({ login_failures: 1, refresh_tokens: 1 });

    const counters = await t.db
      .selectFrom("login_failures")
      .select("username")
      .where("username", "in", [stale, recent])
      .execute();
    expect(counters.map((c) => c.username)).toEqual([recent]);
    const tokens = await t.db
      .selectFrom("refresh_tokens")
      .select("token_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(tokens.map((r) => r.token_hash).sort()).toEqual(["expired-yesterday", "live-hash"]);
  });
});
