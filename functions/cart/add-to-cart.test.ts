import { describe, expect, it } from "vitest";
import { call, createMenuItem, useTestDb } from "../../shared/testing/index.ts";
import { linesOf, useCartTestbed } from "./test-support.ts";

// Adding to a cart is one INSERT … ON CONFLICT DO UPDATE: concurrent adds of one item queue on the
// line's unique key. On PGlite the requests run one after another; on a server (DATABASE_URL) they
// really race, through a pool of 10 connections.

const t = useTestDb();
const h = useCartTestbed(t);
const add = (token: string, menuitem: number, quantity: number) =>
  call(h.app(), "POST", "/api/cart/menu-items", { token, json: { menuitem, quantity } });

describe("concurrent adds to one cart", () => {
  it("20 parallel adds of the same item end as one line holding the sum", async () => {
    const item = await createMenuItem(t.db, { price: "1.10" });
    const { user, token } = await h.customer();
    const results = await Promise.all(Array.from({ length: 20 }, () => add(token, item.id, 2)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await linesOf(t, user.id)).toEqual([{ menuitem_id: item.id, quantity: 40, unit_price: "1.10" }]);
    const cart = await call(h.app(), "GET", "/api/cart/menu-items", { token });
    expect(cart.body).toMatchObject({ count: 1, total: "44.00" });
  });

  it("parallel adds past 99 are refused one by one, never lost, never a 500", async () => {
    const item = await createMenuItem(t.db);
    const { user, token } = await h.customer();
    const results = await Promise.all(Array.from({ length: 20 }, () => add(token, item.id, 7)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 201 && s !== 400)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(14); // 14 × 7 = 98; a 15th would make 105
    expect(await linesOf(t, user.id)).toEqual([
      { menuitem_id: item.id, quantity: 98, unit_price: item.price },
    ]);
  });

  it("parallel adds of different items each get their own line", async () => {
    const items = await Promise.all(Array.from({ length: 5 }, () => createMenuItem(t.db)));
    const { user, token } = await h.customer();
    const results = await Promise.all(
      items.flatMap((item) => [add(token, item.id, 1), add(token, item.id, 2)]),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const lines = await linesOf(t, user.id);
    expect(lines.map((l) => l.quantity)).toEqual([3, 3, 3, 3, 3]);
    expect(new Set(lines.map((l) => l.menuitem_id))).toEqual(new Set(items.map((i) => i.id)));
  });
});

describe("adding for an account that no longer exists", () => {
  it("answers 401, not a 500, and writes nothing", async () => {
    const item = await createMenuItem(t.db);
    const { user, token } = await h.customer();
    await t.db.deleteFrom("users").where("id", "=", user.id).execute();
    const res = await add(token, item.id, 1);
    expect(res.status).toBe(401);
    expect(await linesOf(t, user.id)).toEqual([]);
  });
});
