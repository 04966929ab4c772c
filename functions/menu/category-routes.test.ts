import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { call, createCategory, createMenuItem, uniqueName, useTestDb } from "../../shared/testing/index.ts";
import { snapshot, useMenuTestbed } from "./test-support.ts";

const t = useTestDb();
const h = useMenuTestbed(t);

const slug = () => uniqueName("cat").toLowerCase();
const countOf = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from categories`.execute(t.db)).rows[0]!.n;

describe("GET /api/categories", () => {
  it("lists categories to anyone, paginated, with the total", async () => {
    await createCategory(t.db);
    await createCategory(t.db);
    const res = await call(h.app(), "GET", "/api/categories?perpage=1");
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(await countOf());
    expect(res.body.results).toHaveLength(1);
    expect(Object.keys(res.body.results[0]).sort()).toEqual(["id", "slug", "title"]);
    expect(res.body.next).toMatch(/^\/api\/categories\?perpage=1&cursor=/);
    const next = await call(h.app(), "GET", res.body.next);
    expect(next.body.results).toHaveLength(1);
    expect(next.body.results[0].id).not.toBe(res.body.results[0].id);
    expect(res.body.previous).toBeNull();
  });

  it("orders by a whitelisted field and refuses any other", async () => {
    await createCategory(t.db, { slug: slug(), title: "Zz last" });
    const res = await call(h.app(), "GET", "/api/categories/?ordering=-title&perpage=100");
    expect(res.status).toBe(200);
    const titles = res.body.results.map((c: { title: string }) => c.title);
    expect(titles[0]).toBe("Zz last");
    const bad = await call(h.app(), "GET", "/api/categories?ordering=id;drop table categories");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("ordering");
  });
});

describe("POST /api/categories", () => {
  it("lets a manager, an admin and a form-encoded client create one", async () => {
    const a = await call(h.app(), "POST", "/api/categories", {
      token: await h.manager(),
      json: { slug: "starters-x", title: "Starters" },
    });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ id: expect.any(Number), slug: "starters-x", title: "Starters" });
    const b = await call(h.app(), "POST", "/api/categories/", {
      token: await h.admin(),
      form: { slug: "mains-x", title: "Mains" },
    });
    expect(b.status).toBe(201);
    const row = await t.db
      .selectFrom("categories")
      .selectAll()
      .where("id", "=", b.body.id)
      .executeTakeFirst();
    expect(row).toEqual({ id: b.body.id, slug: "mains-x", title: "Mains" });
  });

  it("refuses a taken slug with a field error and writes nothing", async () => {
    const existing = await createCategory(t.db);
    const before = await snapshot(t, "categories");
    const res = await call(h.app(), "POST", "/api/categories", {
      token: await h.manager(),
      json: { slug: existing.slug, title: "Another" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.errors).toEqual([{ path: "slug", message: "is already taken" }]);
    expect(await snapshot(t, "categories")).toEqual(before);
  });

  it("refuses a bad slug, a missing title and control characters", async () => {
    const token = await h.manager();
    const before = await snapshot(t, "categories");
    for (const json of [
      { slug: "has space", title: "T" },
      { slug: slug() },
      { slug: slug(), title: "bad\u0000title" },
      { slug: "", title: "T" },
    ]) {
      const res = await call(h.app(), "POST", "/api/categories", { token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await snapshot(t, "categories")).toEqual(before);
  });

  it("answers 401 without a token and 403 to a customer or delivery crew, writing nothing", async () => {
    const before = await snapshot(t, "categories");
    const json = { slug: slug(), title: "Nope" };
    const anonymous = await call(h.app(), "POST", "/api/categories", { json });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    for (const token of [await h.customer(), await h.crew()]) {
      const res = await call(h.app(), "POST", "/api/categories", { token, json });
      expect(res.status).toBe(403);
    }
    expect(await snapshot(t, "categories")).toEqual(before);
  });
});

describe("GET, PUT, PATCH, DELETE /api/categories/{id}", () => {
  it("reads one category to anyone; a missing or malformed id is 404", async () => {
    const category = await createCategory(t.db);
    const res = await call(h.app(), "GET", `/api/categories/${category.id}/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: category.id, slug: category.slug, title: category.title });
    for (const path of [
      "/api/categories/999999",
      "/api/categories/1%20or%201=1",
      "/api/categories/99999999999",
    ]) {
      expect((await call(h.app(), "GET", path)).status).toBe(404);
    }
  });

  it("replaces with PUT and changes one field with PATCH", async () => {
    const category = await createCategory(t.db);
    const token = await h.manager();
    const put = await call(h.app(), "PUT", `/api/categories/${category.id}`, {
      token,
      json: { slug: `${category.slug}-new`, title: "Renamed", id: 1 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: category.id, slug: `${category.slug}-new`, title: "Renamed" });
    const patch = await call(h.app(), "PATCH", `/api/categories/${category.id}`, {
      token,
      form: { title: "Patched" },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual({ id: category.id, slug: `${category.slug}-new`, title: "Patched" });
  });

  it("refuses a PUT without every field, a taken slug and an unknown id, changing nothing", async () => {
    const category = await createCategory(t.db);
    const other = await createCategory(t.db);
    const token = await h.manager();
    const before = await snapshot(t, "categories");
    const missing = await call(h.app(), "PUT", `/api/categories/${category.id}`, {
      token,
      json: { title: "x" },
    });
    expect(missing.status).toBe(400);
    const taken = await call(h.app(), "PATCH", `/api/categories/${category.id}`, {
      token,
      json: { slug: other.slug },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual([{ path: "slug", message: "is already taken" }]);
    const unknown = await call(h.app(), "PATCH", "/api/categories/999999", { token, json: { title: "x" } });
    expect(unknown.status).toBe(404);
    const customer = await call(h.app(), "PATCH", `/api/categories/${category.id}`, {
      token: await h.customer(),
      json: { title: "x" },
    });
    expect(customer.status).toBe(403);
    expect(await snapshot(t, "categories")).toEqual(before);
  });

  it("deletes an empty category (204) and refuses one that still has items (409)", async () => {
    const token = await h.manager();
    const empty = await createCategory(t.db);
    const res = await call(h.app(), "DELETE", `/api/categories/${empty.id}`, { token });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await t.db.selectFrom("categories").where("id", "=", empty.id).selectAll().execute()).toEqual([]);

    const full = await createCategory(t.db);
    await createMenuItem(t.db, { categoryId: full.id });
    const before = await snapshot(t, "menu_items");
    const conflict = await call(h.app(), "DELETE", `/api/categories/${full.id}`, { token });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toMatch(/still has menu items/);
    expect(await t.db.selectFrom("categories").where("id", "=", full.id).selectAll().execute()).toHaveLength(
      1,
    );
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });

  it("answers 404 for deleting an unknown category and 403 to a customer", async () => {
    const category = await createCategory(t.db);
    const token = await h.manager();
    expect((await call(h.app(), "DELETE", "/api/categories/999999", { token })).status).toBe(404);
    const customer = await call(h.app(), "DELETE", `/api/categories/${category.id}`, {
      token: await h.customer(),
    });
    expect(customer.status).toBe(403);
    expect(
      await t.db.selectFrom("categories").where("id", "=", category.id).selectAll().execute(),
    ).toHaveLength(1);
  });
});
