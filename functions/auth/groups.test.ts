import { describe, expect, it } from "vitest";
import type { Principal } from "../../shared/auth/principal.ts";
import type { GroupName } from "../../shared/db/types.ts";
import { createActor } from "../../shared/testing/actors.ts";
import { createUser, uniqueName } from "../../shared/testing/fixtures.ts";
import { call } from "../../shared/testing/request.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { type AuthTestApp, authTestbed } from "./test-support.ts";

const t = useTestDb();

async function setup(): Promise<AuthTestApp & { manager: string; as: (p: Principal) => Promise<string> }> {
  const auth = await authTestbed(t.db);
  const manager = await createActor(t.db, auth.keys, "manager");
  return { ...auth, manager: manager.token, as: (p) => auth.keys.tokenFor(p) };
}

async function membership(userId: number) {
  const rows = await t.db
    .selectFrom("user_groups")
    .select("group_name")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((r) => r.group_name).sort();
}

describe.each<GroupName>(["manager", "delivery-crew"])("/api/groups/%s/users", (group) => {
  const path = `/api/groups/${group}/users`;

  it("adds by username (201), again (200, no duplicate) and by user_id from a form", async () => {
    const { app, manager } = await setup();
    const user = await createUser(t.db);
    const first = await call(app, "POST", path, { token: manager, json: { username: user.username } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: user.id,
      username: user.username,
      email: `${user.username}@example.test`,
    });
    const again = await call(app, "POST", `${path}/`, { token: manager, json: { user_id: user.id } });
    expect(again.status).toBe(200);
    expect(await membership(user.id)).toEqual([group]);

    const other = await createUser(t.db);
    const byForm = await call(app, "POST", path, { token: manager, form: { user_id: String(other.id) } });
    expect(byForm.status).toBe(201);
    expect(await membership(other.id)).toEqual([group]);
  });

  it("lists the members, paginated, and nobody else", async () => {
    const { app, manager } = await setup();
    const member = await createUser(t.db, { groups: [group] });
    const outsider = await createUser(t.db);
    const res = await call(app, "GET", `${path}?perpage=100`, { token: manager });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: expect.any(Number), next: null, previous: null });
    const ids = res.body.results.map((u: { id: number }) => u.id);
    expect(ids).toContain(member.id);
    expect(ids).not.toContain(outsider.id);
    expect(res.body.results.find((u: { id: number }) => u.id === member.id)).toEqual({
      id: member.id,
      username: member.username,
      email: `${member.username}@example.test`,
    });
    const paged = await call(app, "GET", `${path}?perpage=1`, { token: manager });
    expect(paged.body.results).toHaveLength(1);
    expect(paged.body.count).toBe(res.body.count);
  });

  it("removes by id and by username (200); a second removal is 404", async () => {
    const { app, manager } = await setup();
    const a = await createUser(t.db, { groups: [group] });
    const b = await createUser(t.db, { groups: [group, group === "manager" ? "delivery-crew" : "manager"] });
    const byId = await call(app, "DELETE", `${path}/${a.id}`, { token: manager });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: a.id, username: a.username });
    expect(await membership(a.id)).toEqual([]);
    const byName = await call(app, "DELETE", `${path}/${b.username}/`, { token: manager });
    expect(byName.status).toBe(200);
    expect(await membership(b.id)).not.toContain(group);
    expect(await membership(b.id)).toHaveLength(1);
    expect((await call(app, "DELETE", `${path}/${a.id}`, { token: manager })).status).toBe(404);
  });
});

describe("group routes refuse", () => {
  it("a customer and a delivery-crew member with 403, changing nothing", async () => {
    const { app, as } = await setup();
    const target = await createUser(t.db, { groups: ["delivery-crew"] });
    for (const caller of [await createUser(t.db), await createUser(t.db, { groups: ["delivery-crew"] })]) {
      const token = await as(caller);
      for (const [method, path, json] of [
        ["GET", "/api/groups/manager/users", undefined],
        ["POST", "/api/groups/manager/users", { username: caller.username }],
        ["DELETE", `/api/groups/delivery-crew/users/${target.id}`, undefined],
      ] as const) {
        const res = await call(app, method, path, { token, json });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect(await membership(caller.id)).toEqual(caller.groups);
    }
    expect(await membership(target.id)).toEqual(["delivery-crew"]);
  });

  it("no token with 401", async () => {
    const { app } = await setup();
    const res = await call(app, "GET", "/api/groups/manager/users");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("an unknown user with 404 and a body naming nobody with 400, adding nothing", async () => {
    const { app, manager } = await setup();
    const before = await t.db.selectFrom("user_groups").selectAll().execute();
    const unknownName = await call(app, "POST", "/api/groups/manager/users", {
      token: manager,
      json: { username: uniqueName("ghost") },
    });
    const unknownId = await call(app, "POST", "/api/groups/manager/users", {
      token: manager,
      json: { user_id: 2_000_000_000 },
    });
    const empty = await call(app, "POST", "/api/groups/manager/users", { token: manager, json: {} });
    expect([unknownName.status, unknownId.status, empty.status]).toEqual([404, 404, 400]);
    expect(empty.body.errors).toEqual([expect.objectContaining({ path: "username" })]);
    expect(await t.db.selectFrom("user_groups").selectAll().execute()).toEqual(before);
  });

  it("removing an unknown user or a non-member with 404, removing nothing", async () => {
    const { app, manager } = await setup();
    const crew = await createUser(t.db, { groups: ["delivery-crew"] });
    for (const who of [String(crew.id), crew.username, "2000000000", uniqueName("ghost"), "nul%00name"]) {
      const res = await call(app, "DELETE", `/api/groups/manager/users/${who}`, { token: manager });
      expect(res.status, who).toBe(404);
    }
    expect(await membership(crew.id)).toEqual(["delivery-crew"]);
  });

  it("a group that does not exist with 404", async () => {
    const { app, manager } = await setup();
    const user = await createUser(t.db);
    const res = await call(app, "POST", "/api/groups/admins/users", {
      token: manager,
      json: { user_id: user.id },
    });
    expect(res.status).toBe(404);
    expect(await membership(user.id)).toEqual([]);
  });
});

describe("an admin outside the manager group", () => {
  it("may manage groups as a manager may", async () => {
    const { app, as } = await setup();
    const admin = await createUser(t.db, { isAdmin: true });
    const user = await createUser(t.db);
    const res = await call(app, "POST", "/api/groups/manager/users", {
      token: await as(admin),
      json: { username: user.username },
    });
    expect(res.status).toBe(201);
    expect(await membership(user.id)).toEqual(["manager"]);
  });
});
