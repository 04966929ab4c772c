import { describe, expect, it } from "vitest";
import { call, createMenuItem, useTestDb } from "../../shared/testing/index.ts";
import { linesOf, useCartTestbed } from "./test-support.ts";

const t = useTestDb();
const h = useCartTestbed(t);

/** Puts an item in the caller's cart: a test's set-up, whose answer is not what the test checks. */
function addToCart(token: string, menuitem: number, quantity?: number) {
  const json = quantity === undefined ? { menuitem } : { menuitem, quantity };
  return call(h.app(), "POST", "/api/cart/menu-items", { token, json });
}

describe("GET /api/cart/menu-items", () => {
  it("shows an empty cart as zero lines and a total of 0.00", async () => {
    const { token } = await h.customer();
    const res = await call(h.app(), "GET", "/api/cart/menu-items/", { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 0, results: [], total: "0.00" });
  });

  it("shows the caller's lines only, with exact prices and total", async () => {
    const a = await createMenuItem(t.db, { title: "Dime", price: "0.10" });
    const b = await createMenuItem(t.db, { title: "Fifth", price: "0.20" });
    const me = await h.customer();
    const other = await h.customer();
    await addToCart(me.token, a.id, 3);
    await addToCart(me.token, b.id, 1);
    await addToCart(other.token, a.id, 9);
    const res = await call(h.app(), "GET", "/api/cart/menu-items", { token: me.token });
    expect(res.body).toEqual({
      count: 2,
      results: [
        { menuitem: { id: a.id, title: "Dime" }, quantity: 3, unit_price: "0.10", price: "0.30" },
        { menuitem: { id: b.id, title: "Fifth" }, quantity: 1, unit_price: "0.20", price: "0.20" },
      ],
      total: "0.50",
    });
  });

  it("answers 401 with WWW-Authenticate on every route without a token", async () => {
    for (const [method, path] of [
      ["GET", "/api/cart/menu-items"],
      ["POST", "/api/cart/menu-items"],
      ["DELETE", "/api/cart/menu-items"],
      ["PATCH", "/api/cart/menu-items/1"],
      ["DELETE", "/api/cart/menu-items/1"],
    ] as const) {
      const json = method === "GET" ? undefined : { menuitem: 1, quantity: 1 };
      const res = await call(h.app(), method, path, { json });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const badToken = await call(h.app(), "GET", "/api/cart/menu-items", { token: "not.a.token" });
    expect(badToken.status).toBe(401);
  });
});

describe("POST /api/cart/menu-items", () => {
  it("adds a line at the menu price (201) and adds up quantities of the same item", async () => {
    const item = await createMenuItem(t.db, { price: "4.25" });
    const { user, token } = await h.customer();
    const first = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem: item.id, quantity: 2 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      menuitem: { id: item.id, title: item.title },
      quantity: 2,
      unit_price: "4.25",
      price: "8.50",
    });
    const second = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem: item.id, quantity: 3 },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ quantity: 5, price: "21.25" });
    expect(await linesOf(t, user.id)).toEqual([{ menuitem_id: item.id, quantity: 5, unit_price: "4.25" }]);
  });

  it("refreshes the unit price to the current menu price when the item is added again", async () => {
    const item = await createMenuItem(t.db, { price: "3.00" });
    const { user, token } = await h.customer();
    await addToCart(token, item.id, 1);
    await t.db.updateTable("menu_items").set({ price: "3.40" }).where("id", "=", item.id).execute();
    const res = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem: item.id, quantity: 1 },
    });
    expect(res.body).toMatchObject({ quantity: 2, unit_price: "3.40", price: "6.80" });
    expect(await linesOf(t, user.id)).toEqual([{ menuitem_id: item.id, quantity: 2, unit_price: "3.40" }]);
  });

  it("takes Little Lemon's form body, `menuitem_id`, a default quantity of 1 and a trailing slash", async () => {
    const item = await createMenuItem(t.db, { price: "1.50" });
    const other = await createMenuItem(t.db, { price: "2.00" });
    const { user, token } = await h.customer();
    const form = await call(h.app(), "POST", "/api/cart/menu-items/", {
      token,
      form: { menuitem: String(item.id), quantity: "2" },
    });
    expect(form.status).toBe(201);
    const alias = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem_id: other.id },
    });
    expect(alias.status).toBe(201);
    expect(await linesOf(t, user.id)).toEqual([
      { menuitem_id: item.id, quantity: 2, unit_price: "1.50" },
      { menuitem_id: other.id, quantity: 1, unit_price: "2.00" },
    ]);
  });

  it("ignores what the server owns: unit_price, price, total, user and user_id change nothing", async () => {
    const item = await createMenuItem(t.db, { price: "12.00" });
    const me = await h.customer();
    const victim = await h.customer();
    const res = await call(h.app(), "POST", "/api/cart/menu-items", {
      token: me.token,
      json: {
        menuitem: item.id,
        quantity: 1,
        unit_price: "0.01",
        price: "0.01",
        total: "0.01",
        user: victim.user.id,
        user_id: victim.user.id,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ unit_price: "12.00", price: "12.00" });
    expect(await linesOf(t, me.user.id)).toEqual([
      { menuitem_id: item.id, quantity: 1, unit_price: "12.00" },
    ]);
    expect(await linesOf(t, victim.user.id)).toEqual([]);
  });

  it("refuses an unknown item, a bad quantity and a sum over 99, changing nothing", async () => {
    const item = await createMenuItem(t.db);
    const { user, token } = await h.customer();
    await addToCart(token, item.id, 90);
    const before = await linesOf(t, user.id);
    const unknown = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem: 999999 },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: "menuitem", message: "does not name an item on the menu" }]);
    const over = await call(h.app(), "POST", "/api/cart/menu-items", {
      token,
      json: { menuitem: item.id, quantity: 10 },
    });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ path: "quantity", message: "must be at most 9" }]);
    for (const json of [
      { menuitem: item.id, quantity: 0 },
      { menuitem: item.id, quantity: 100 },
      { menuitem: item.id, quantity: "two" },
      { menuitem: item.id, quantity: 1.5 },
      { menuitem: "1; drop table cart_items" },
      { quantity: 1 },
    ]) {
      const res = await call(h.app(), "POST", "/api/cart/menu-items", { token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
    const noItem = await call(h.app(), "POST", "/api/cart/menu-items", { token, form: { quantity: "1" } });
    expect(noItem.body.errors).toEqual([{ path: "menuitem", message: "is required" }]);
    expect(await linesOf(t, user.id)).toEqual(before);
  });
});

describe("unreadable bodies", () => {
  it("answers 400 for broken JSON and 415 for another media type, writing nothing", async () => {
    const item = await createMenuItem(t.db);
    const { user, token } = await h.customer();
    const post = (body: string, type: string) =>
      h.app().request("/api/cart/menu-items", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": type },
        body,
      });
    expect((await post(`{"menuitem": ${item.id},`, "application/json")).status).toBe(400);
    expect((await post(`[${item.id}]`, "application/json")).status).toBe(400);
    expect((await post(`<menuitem>${item.id}</menuitem>`, "application/xml")).status).toBe(415);
    expect(await linesOf(t, user.id)).toEqual([]);
  });
});

describe("PATCH /api/cart/menu-items/{menuItemId}", () => {
  it("sets the quantity and answers the cart; 0 removes the line", async () => {
    const item = await createMenuItem(t.db, { price: "2.50" });
    const { user, token } = await h.customer();
    await addToCart(token, item.id, 1);
    const set = await call(h.app(), "PATCH", `/api/cart/menu-items/${item.id}/`, {
      token,
      form: { quantity: "4", unit_price: "0.01" },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      count: 1,
      results: [
        { menuitem: { id: item.id, title: item.title }, quantity: 4, unit_price: "2.50", price: "10.00" },
      ],
      total: "10.00",
    });
    const removed = await call(h.app(), "PATCH", `/api/cart/menu-items/${item.id}`, {
      token,
      json: { quantity: 0 },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ count: 0, results: [], total: "0.00" });
    expect(await linesOf(t, user.id)).toEqual([]);
  });

  it("answers 404 for a line not in the caller's cart and 400 for a bad quantity, changing nothing", async () => {
    const item = await createMenuItem(t.db);
    const me = await h.customer();
    const other = await h.customer();
    await addToCart(other.token, item.id, 2);
    await addToCart(me.token, item.id, 1);
    const mine = await linesOf(t, me.user.id);
    const theirs = await linesOf(t, other.user.id);
    for (const [path, json, status] of [
      ["/api/cart/menu-items/999999", { quantity: 1 }, 404],
      ["/api/cart/menu-items/abc", { quantity: 1 }, 404],
      [`/api/cart/menu-items/${item.id}`, { quantity: 100 }, 400],
      [`/api/cart/menu-items/${item.id}`, { quantity: -1 }, 400],
      [`/api/cart/menu-items/${item.id}`, {}, 400],
    ] as const) {
      const res = await call(h.app(), "PATCH", path, { token: me.token, json });
      expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(status);
    }
    expect(await linesOf(t, me.user.id)).toEqual(mine);
    expect(await linesOf(t, other.user.id)).toEqual(theirs);
  });
});

describe("DELETE /api/cart/menu-items[/{menuItemId}]", () => {
  it("removes one line (204); a line the caller does not have is 404 and nobody else's line moves", async () => {
    const a = await createMenuItem(t.db);
    const b = await createMenuItem(t.db);
    const me = await h.customer();
    const other = await h.customer();
    await addToCart(me.token, a.id);
    await addToCart(me.token, b.id);
    await addToCart(other.token, b.id);
    const res = await call(h.app(), "DELETE", `/api/cart/menu-items/${a.id}`, { token: me.token });
    expect(res.status).toBe(204);
    expect((await linesOf(t, me.user.id)).map((l) => l.menuitem_id)).toEqual([b.id]);
    const theirs = await linesOf(t, other.user.id);
    const missing = await call(h.app(), "DELETE", `/api/cart/menu-items/${a.id}`, { token: other.token });
    expect(missing.status).toBe(404);
    expect(await linesOf(t, other.user.id)).toEqual(theirs);
  });

  it("empties the caller's cart (204), even an empty one, and no one else's", async () => {
    const item = await createMenuItem(t.db);
    const me = await h.customer();
    const other = await h.customer();
    await addToCart(me.token, item.id, 3);
    await addToCart(other.token, item.id);
    expect((await call(h.app(), "DELETE", "/api/cart/menu-items/", { token: me.token })).status).toBe(204);
    expect(await linesOf(t, me.user.id)).toEqual([]);
    expect(await linesOf(t, other.user.id)).toHaveLength(1);
    expect((await call(h.app(), "DELETE", "/api/cart/menu-items", { token: me.token })).status).toBe(204);
  });
});
