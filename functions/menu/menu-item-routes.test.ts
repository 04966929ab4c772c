import { describe, expect, it } from "vitest";
import { call, createCategory, createMenuItem, createUser, useTestDb } from "../../shared/testing/index.ts";
import { snapshot, useMenuTestbed } from "./test-support.ts";

const t = useTestDb();
const h = useMenuTestbed(t);

const itemRow = (id: number) =>
  t.db.selectFrom("menu_items").selectAll().where("id", "=", id).executeTakeFirst();

describe("POST /api/menu-items", () => {
  it("creates an item for a manager with its category nested and money exact", async () => {
    const category = await createCategory(t.db);
    const res = await call(h.app(), "POST", "/api/menu-items", {
      token: await h.manager(),
      json: { title: "Bruschetta", price: "5.5", category_id: category.id, description: "Grilled bread" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      title: "Bruschetta",
      price: "5.50",
      featured: false,
      category: { id: category.id, slug: category.slug, title: category.title },
      description: "Grilled bread",
    });
    expect(await itemRow(res.body.id)).toMatchObject({ price: "5.50", category_id: category.id });
  });

  it("accepts `category` for `category_id` (as an id or the nested object), a form body and a trailing slash", async () => {
    const category = await createCategory(t.db);
    const token = await h.admin();
    const byId = await call(h.app(), "POST", "/api/menu-items/", {
      token,
      form: { title: "Form dish", price: "7", category: String(category.id), featured: "true" },
    });
    expect(byId.status).toBe(201);
    expect(byId.body).toMatchObject({ price: "7.00", featured: true, category: { id: category.id } });
    const byObject = await call(h.app(), "POST", "/api/menu-items", {
      token,
      json: {
        title: "Echoed",
        price: 12.3,
        category: { id: category.id, slug: "ignored", title: "ignored" },
      },
    });
    expect(byObject.status).toBe(201);
    expect(byObject.body).toMatchObject({
      price: "12.30",
      category: { id: category.id, slug: category.slug },
    });
  });

  it("ignores fields the server owns: a manager cannot choose the id", async () => {
    const category = await createCategory(t.db);
    const res = await call(h.app(), "POST", "/api/menu-items", {
      token: await h.manager(),
      json: {
        id: 987654,
        title: "Own id",
        price: "1.00",
        category_id: category.id,
        updated_at: "2000-01-01",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(987654);
    expect(await itemRow(987654)).toBeUndefined();
  });

  it("refuses an unknown category with a field error and writes nothing", async () => {
    const token = await h.manager();
    const before = await snapshot(t, "menu_items");
    const a = await call(h.app(), "POST", "/api/menu-items", {
      token,
      json: { title: "Orphan", price: "1.00", category_id: 999999 },
    });
    expect(a.status).toBe(400);
    expect(a.body.errors).toEqual([{ path: "category_id", message: "does not name an existing category" }]);
    const b = await call(h.app(), "POST", "/api/menu-items", {
      token,
      json: { title: "Orphan", price: "1.00", category: 999999 },
    });
    expect(b.status).toBe(400);
    expect(b.body.errors[0].path).toBe("category");
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });

  it("refuses bad prices, a missing title or category, writing nothing", async () => {
    const category = await createCategory(t.db);
    const token = await h.manager();
    const before = await snapshot(t, "menu_items");
    for (const json of [
      { title: "x", price: "-1", category_id: category.id },
      { title: "x", price: "1.005", category_id: category.id },
      { title: "x", price: "1e3", category_id: category.id },
      { title: "x", price: "100000000", category_id: category.id },
      { title: "x", category_id: category.id },
      { price: "1.00", category_id: category.id },
      { title: "x", price: "1.00" },
      { title: "x", price: "1.00", category_id: "1 or 1=1" },
    ]) {
      const res = await call(h.app(), "POST", "/api/menu-items", { token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    const noCategory = await call(h.app(), "POST", "/api/menu-items", {
      token,
      json: { title: "x", price: "1" },
    });
    expect(noCategory.body.errors).toEqual([{ path: "category_id", message: "is required" }]);
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });

  it("answers 401 to nobody and 403 to a customer or delivery crew, writing nothing", async () => {
    const category = await createCategory(t.db);
    const json = { title: "x", price: "1.00", category_id: category.id };
    const before = await snapshot(t, "menu_items");
    expect((await call(h.app(), "POST", "/api/menu-items", { json })).status).toBe(401);
    for (const token of [await h.customer(), await h.crew()]) {
      expect((await call(h.app(), "POST", "/api/menu-items", { token, json })).status).toBe(403);
    }
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });
});

describe("GET /api/menu-items/{id}", () => {
  it("shows one item to anyone; unknown or malformed ids are 404", async () => {
    const item = await createMenuItem(t.db, { price: "3.25", featured: true });
    const res = await call(h.app(), "GET", `/api/menu-items/${item.id}/`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: item.id, title: item.title, price: "3.25", featured: true });
    for (const path of [
      "/api/menu-items/999999",
      "/api/menu-items/0",
      "/api/menu-items/1'--",
      "/api/menu-items/-1",
    ]) {
      const missing = await call(h.app(), "GET", path);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});

describe("PUT and PATCH /api/menu-items/{id}", () => {
  it("replaces an item with PUT, keeping what PUT does not name", async () => {
    const item = await createMenuItem(t.db, { featured: true, description: "kept" });
    const category = await createCategory(t.db);
    const res = await call(h.app(), "PUT", `/api/menu-items/${item.id}`, {
      token: await h.manager(),
      json: { title: "Replaced", price: "8.00", category_id: category.id },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: item.id,
      title: "Replaced",
      price: "8.00",
      featured: true,
      category: { id: category.id, slug: category.slug, title: category.title },
      description: "kept",
    });
  });

  it("sets the item of the day with a PATCH of featured alone, form-encoded too", async () => {
    const item = await createMenuItem(t.db);
    const res = await call(h.app(), "PATCH", `/api/menu-items/${item.id}/`, {
      token: await h.manager(),
      form: { featured: "1" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: item.id, featured: true, title: item.title, price: item.price });
    expect((await itemRow(item.id))?.featured).toBe(true);
  });

  it("refuses a PUT missing a field, an unknown category, a bad price and an unknown id, changing nothing", async () => {
    const item = await createMenuItem(t.db);
    const token = await h.manager();
    const before = await snapshot(t, "menu_items");
    const cases: [string, unknown, number][] = [
      [`/api/menu-items/${item.id}`, { title: "x", category_id: item.category_id }, 400],
      [`/api/menu-items/${item.id}`, { title: "x", price: "1.00", category_id: 999999 }, 400],
      [`/api/menu-items/${item.id}`, { title: "x", price: "abc", category_id: item.category_id }, 400],
      ["/api/menu-items/999999", { title: "x", price: "1.00", category_id: item.category_id }, 404],
    ];
    for (const [path, json, status] of cases) {
      expect((await call(h.app(), "PUT", path, { token, json })).status, JSON.stringify(json)).toBe(status);
    }
    const patch = await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, {
      token,
      json: { featured: "maybe" },
    });
    expect(patch.status).toBe(400);
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });

  it("answers 403 to a customer or crew and 401 to nobody, changing nothing", async () => {
    const item = await createMenuItem(t.db);
    const before = await snapshot(t, "menu_items");
    const json = { price: "0.01" };
    expect((await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, { json })).status).toBe(401);
    for (const token of [await h.customer(), await h.crew()]) {
      expect((await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, { token, json })).status).toBe(403);
      expect((await call(h.app(), "PUT", `/api/menu-items/${item.id}`, { token, json })).status).toBe(403);
    }
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });
});

describe("DELETE /api/menu-items/{id}", () => {
  it("deletes an item (204), and the carts holding it lose the line", async () => {
    const item = await createMenuItem(t.db);
    const user = await createUser(t.db);
    await t.db
      .insertInto("cart_items")
      .values({ user_id: user.id, menuitem_id: item.id, quantity: 2, unit_price: item.price })
      .execute();
    const res = await call(h.app(), "DELETE", `/api/menu-items/${item.id}`, { token: await h.manager() });
    expect(res.status).toBe(204);
    expect(await itemRow(item.id)).toBeUndefined();
    expect(
      await t.db.selectFrom("cart_items").where("menuitem_id", "=", item.id).selectAll().execute(),
    ).toEqual([]);
  });

  it("answers 404 for an unknown item and 403 to a customer, deleting nothing", async () => {
    const item = await createMenuItem(t.db);
    const before = await snapshot(t, "menu_items");
    expect(
      (await call(h.app(), "DELETE", "/api/menu-items/999999", { token: await h.manager() })).status,
    ).toBe(404);
    const customer = await call(h.app(), "DELETE", `/api/menu-items/${item.id}`, {
      token: await h.customer(),
    });
    expect(customer.status).toBe(403);
    expect((await call(h.app(), "DELETE", `/api/menu-items/${item.id}`)).status).toBe(401);
    expect(await snapshot(t, "menu_items")).toEqual(before);
  });
});
