import { describe, expect, it } from "vitest";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { orderTestbed, outboxFor, snapshot } from "./test-support.ts";

const t = useTestDb();

describe("POST /api/orders", () => {
  it("turns the cart into a placed order, empties the cart and writes tavola.order.placed", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const [a, b] = await bed.fillCart(me.principal.id, [
      { price: "5.50", quantity: 2 },
      { price: "0.10", quantity: 3 },
    ]);
    const res = await call(bed.app, "POST", "/api/orders", { token: me.token });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      user: me.principal.id,
      delivery_crew: null,
      status: "placed",
      total: "11.30",
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      items: [
        { menuitem: { id: a!.id, title: a!.title }, quantity: 2, unit_price: "5.50", price: "11.00" },
        { menuitem: { id: b!.id, title: b!.title }, quantity: 3, unit_price: "0.10", price: "0.30" },
      ],
    });
    expect((await snapshot(t.db, me.principal.id)).cart).toEqual([]);
    expect(await outboxFor(t.db, res.body.id)).toEqual([
      {
        type: "tavola.order.placed",
        source: "/tavola/order",
        subject: String(res.body.id),
        data: {
          order_id: res.body.id,
          version: 1,
          user_id: me.principal.id,
          total: "11.30",
          items: [
            { menuitem_id: a!.id, quantity: 2, unit_price: "5.50" },
            { menuitem_id: b!.id, quantity: 3, unit_price: "0.10" },
          ],
        },
      },
    ]);
  });

  it("charges the menu's current price, not the cart's cached unit_price", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "7.25", quantity: 2, cartPrice: "6.00" }]);
    const res = await call(bed.app, "POST", "/api/orders", { token: me.token });
    expect(res.status).toBe(201);
    expect(res.body.items[0]).toMatchObject({ unit_price: "7.25", price: "14.50" });
    expect(res.body.total).toBe("14.50");
  });

  it("ignores server-owned fields in a form body, as Little Lemon clients send them", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const other = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "3.00", quantity: 1 }]);
    const res = await call(bed.app, "POST", "/api/cart/orders/", {
      token: me.token,
      form: { total: "0.01", user: String(other.principal.id), status: "delivered", date: "2020-01-01" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: me.principal.id, total: "3.00", status: "placed" });
    expect(res.body.date.startsWith("2020")).toBe(false);
  });

  it("answers 400 for an empty cart and writes nothing", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const before = await snapshot(t.db, me.principal.id);
    const res = await call(bed.app, "POST", "/api/orders", { token: me.token });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toMatch(/cart is empty/);
    expect(await snapshot(t.db, me.principal.id)).toEqual(before);
  });

  it("answers 401 without a token and 400 for an unparseable body, leaving the cart", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "2.00", quantity: 1 }]);
    const before = await snapshot(t.db, me.principal.id);
    const anonymous = await call(bed.app, "POST", "/api/orders");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const garbled = await bed.app.request("/api/orders", {
      method: "POST",
      headers: { authorization: `Bearer ${me.token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
    expect(await snapshot(t.db, me.principal.id)).toEqual(before);
  });
});
