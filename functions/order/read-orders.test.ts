import { describe, expect, it } from "vitest";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { orderFunction } from "./definition.ts";
import { orderTestbed } from "./test-support.ts";

const t = useTestDb();

async function assign(orderId: number, crewId: number) {
  await t.db
    .updateTable("orders")
    .set({ delivery_crew_id: crewId, status: "assigned" })
    .where("id", "=", orderId)
    .execute();
}

describe("GET /api/orders", () => {
  it("shows a customer their own orders only, each with its items", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const other = await bed.customer();
    const mine = await bed.placedOrder(me, [
      { price: "2.00", quantity: 1 },
      { price: "3.00", quantity: 2 },
    ]);
    await bed.placedOrder(other);
    const res = await call(bed.app, "GET", "/api/orders", { token: me.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(res.body.results).toEqual([mine]);
    expect(res.body.results[0].items).toHaveLength(2);
  });

  it("shows a manager every order and a crew member only those assigned to them", async () => {
    const bed = await orderTestbed(t.db);
    const manager = await bed.manager();
    const crew = await bed.crew();
    const a = await bed.placedOrder(await bed.customer());
    const b = await bed.placedOrder(await bed.customer());
    await assign(b.id, crew.principal.id);
    const all = await call(bed.app, "GET", "/api/orders?perpage=100", { token: manager.token });
    expect(all.body.results.map((o: { id: number }) => o.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const assigned = await call(bed.app, "GET", "/api/cart/orders", { token: crew.token });
    expect(assigned.status).toBe(200);
    expect(assigned.body.results.map((o: { id: number }) => o.id)).toEqual([b.id]);
  });

  it("filters by status, orders by date or total, and pages", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const cheap = await bed.placedOrder(me, [{ price: "1.00", quantity: 1 }]);
    const dear = await bed.placedOrder(me, [{ price: "9.00", quantity: 1 }]);
    const middle = await bed.placedOrder(me, [{ price: "5.00", quantity: 1 }]);
    await t.db.updateTable("orders").set({ status: "cancelled" }).where("id", "=", middle.id).execute();
    const ids = async (query: string) =>
      (await call(bed.app, "GET", `/api/orders${query}`, { token: me.token })).body.results.map(
        (o: { id: number }) => o.id,
      );
    expect(await ids("")).toEqual([middle.id, dear.id, cheap.id]);
    expect(await ids("?ordering=total")).toEqual([cheap.id, middle.id, dear.id]);
    expect(await ids("?ordering=-total")).toEqual([dear.id, middle.id, cheap.id]);
    expect(await ids("?ordering=date")).toEqual([cheap.id, dear.id, middle.id]);
    expect(await ids("?status=placed&ordering=total")).toEqual([cheap.id, dear.id]);
    expect(await ids("?status=cancelled")).toEqual([middle.id]);
    const page = await call(bed.app, "GET", "/api/orders?ordering=total&perpage=2&page=2", {
      token: me.token,
    });
    expect(page.body).toMatchObject({ count: 3, count_exact: true, next: null });
    expect(page.body.results.map((o: { id: number }) => o.id)).toEqual([dear.id]);
    // The previous link is a cursor back to the first page.
    expect(page.body.previous).toMatch(/^\/api\/orders\?.*cursor=/);
    const back = await call(bed.app, "GET", page.body.previous, { token: me.token });
    expect(back.body.results.map((o: { id: number }) => o.id)).toEqual([cheap.id, middle.id]);
    expect(back.body.previous).toBeNull();
    const forth = await call(bed.app, "GET", back.body.next, { token: me.token });
    expect(forth.body.results.map((o: { id: number }) => o.id)).toEqual([dear.id]);
  });

  it("reads a page's items in one query, not one per order", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    for (let i = 0; i < 5; i++) await bed.placedOrder(me);
    let queries = 0;
    const counted = t.db.withPlugin({
      // Once per statement run (transformQuery also sees each subquery as it is built).
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries += 1;
        return args.result;
      },
    });
    const app = createApp(orderFunction, {
      db: counted,
      logger: createLogger("silent"),
      verify: bed.keys.verify,
    });
    const res = await call(app, "GET", "/api/orders", { token: me.token });
    expect(res.body.results).toHaveLength(5);
    expect(res.body.results.every((o: { items: unknown[] }) => o.items.length === 1)).toBe(true);
    // The count, the page, and the items of the whole page.
    expect(queries).toBe(3);
  });

  it("answers 400 for an unknown ordering field or status, and 401 without a token", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const badOrdering = await call(bed.app, "GET", "/api/orders?ordering=user_id", { token: me.token });
    expect(badOrdering.status).toBe(400);
    expect(badOrdering.body.errors[0].path).toBe("ordering");
    const badStatus = await call(bed.app, "GET", "/api/orders?status=lost", { token: me.token });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0].path).toBe("status");
    expect((await call(bed.app, "GET", "/api/orders")).status).toBe(401);
  });
});

describe("GET /api/orders/{id}", () => {
  it("shows the order to its owner, a manager and the assigned crew member", async () => {
    const bed = await orderTestbed(t.db);
    const owner = await bed.customer();
    const crew = await bed.crew();
    const order = await bed.placedOrder(owner);
    await assign(order.id, crew.principal.id);
    for (const who of [owner, await bed.manager(), crew]) {
      const res = await call(bed.app, "GET", `/api/orders/${order.id}/`, { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: order.id, status: "assigned", delivery_crew: crew.principal.id });
    }
  });

  it("answers 404 to anyone else, for a missing order and for a malformed id", async () => {
    const bed = await orderTestbed(t.db);
    const order = await bed.placedOrder(await bed.customer());
    const stranger = await bed.customer();
    const otherCrew = await bed.crew();
    for (const who of [stranger, otherCrew]) {
      const res = await call(bed.app, "GET", `/api/orders/${order.id}`, { token: who.token });
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Order ${order.id} was not found.`);
    }
    expect((await call(bed.app, "GET", "/api/orders/999999", { token: stranger.token })).status).toBe(404);
    expect((await call(bed.app, "GET", "/api/orders/abc", { token: stranger.token })).status).toBe(404);
  });
});
