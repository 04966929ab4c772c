import { describe, expect, it } from "vitest";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { deliveryRow, deliveryTestbed, NOW, outboxOf } from "./test-support.ts";

const t = useTestDb();
const earlier = new Date("2026-11-22T11:00:00.000Z");

describe("GET /api/deliveries", () => {
  it("shows a crew member their own deliveries, open ones first, in the spec's shape", async () => {
    const bed = await deliveryTestbed(t.db);
    const crew = await bed.crew();
    const colleague = await bed.crew();
    const done = await bed.delivery({
      deliveryCrewId: crew.principal.id,
      status: "delivered",
      assignedAt: earlier,
      pickedUpAt: earlier,
      deliveredAt: earlier,
    });
    const open = await bed.delivery({
      deliveryCrewId: crew.principal.id,
      status: "assigned",
      assignedAt: earlier,
    });
    await bed.delivery({ deliveryCrewId: colleague.principal.id, status: "assigned", assignedAt: earlier });
    // The closed one is the newest row, and still comes after the open one.
    await t.db.updateTable("deliveries").set({ created_at: NOW }).where("order_id", "=", done).execute();
    const res = await call(bed.app, "GET", "/api/deliveries", { token: crew.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      count: 2,
      count_exact: true,
      next: null,
      previous: null,
      results: [
        {
          order_id: open,
          delivery_crew: crew.principal.id,
          status: "assigned",
          assigned_at: earlier.toISOString(),
          picked_up_at: null,
          delivered_at: null,
        },
        {
          order_id: done,
          delivery_crew: crew.principal.id,
          status: "delivered",
          assigned_at: earlier.toISOString(),
          picked_up_at: earlier.toISOString(),
          delivered_at: earlier.toISOString(),
        },
      ],
    });
  });

  it("shows a manager every delivery, paginated", async () => {
    const bed = await deliveryTestbed(t.db);
    const manager = await bed.manager();
    const ids = [await bed.delivery(), await bed.delivery(), await bed.delivery()];
    const all = await call(bed.app, "GET", "/api/deliveries?perpage=100", { token: manager.token });
    expect(all.body.results.map((d: { order_id: number }) => d.order_id)).toEqual(
      expect.arrayContaining(ids),
    );
    const page = await call(bed.app, "GET", "/api/deliveries?perpage=1", { token: manager.token });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.next).toMatch(/^\/api\/deliveries\?.*cursor=/);
    const next = await call(bed.app, "GET", page.body.next, { token: manager.token });
    expect(next.body.results).toHaveLength(1);
    expect(next.body.results[0].order_id).not.toBe(page.body.results[0].order_id);
  });

  it("answers 403 to a customer and 401 without a token", async () => {
    const bed = await deliveryTestbed(t.db);
    expect(
      (await call(bed.app, "GET", "/api/deliveries", { token: (await bed.customer()).token })).status,
    ).toBe(403);
    expect((await call(bed.app, "GET", "/api/deliveries/")).status).toBe(401);
  });
});

describe("POST /api/deliveries/{orderId}/pickup and /deliver", () => {
  it("lets the assigned crew member pick up, then deliver, each emitting tavola.delivery.status.changed", async () => {
    const bed = await deliveryTestbed(t.db);
    const crew = await bed.crew();
    const orderId = await bed.delivery({
      deliveryCrewId: crew.principal.id,
      status: "assigned",
      assignedAt: earlier,
    });
    const picked = await call(bed.app, "POST", `/api/deliveries/${orderId}/pickup`, { token: crew.token });
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({
      order_id: orderId,
      status: "out_for_delivery",
      picked_up_at: NOW.toISOString(),
    });
    const delivered = await call(bed.app, "POST", `/api/deliveries/${orderId}/deliver/`, {
      token: crew.token,
    });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ status: "delivered", delivered_at: NOW.toISOString() });
    expect(await deliveryRow(t.db, orderId)).toMatchObject({
      status: "delivered",
      picked_up_at: NOW,
      delivered_at: NOW,
    });
    expect(await outboxOf(t.db, orderId)).toEqual([
      {
        type: "tavola.delivery.status.changed",
        data: { order_id: orderId, version: 2, status: "out_for_delivery", at: NOW.toISOString() },
      },
      {
        type: "tavola.delivery.status.changed",
        data: { order_id: orderId, version: 3, status: "delivered", at: NOW.toISOString() },
      },
    ]);
  });

  it("answers a repeated step as it is, emitting nothing more", async () => {
    const bed = await deliveryTestbed(t.db);
    const crew = await bed.crew();
    const orderId = await bed.delivery({
      deliveryCrewId: crew.principal.id,
      status: "out_for_delivery",
      pickedUpAt: earlier,
    });
    const again = await call(bed.app, "POST", `/api/deliveries/${orderId}/pickup`, { token: crew.token });
    expect(again.status).toBe(200);
    expect(again.body.picked_up_at).toBe(earlier.toISOString());
    expect(await outboxOf(t.db, orderId)).toEqual([]);
  });

  it("answers 409 to a step out of order or on a closed delivery, changing nothing", async () => {
    const bed = await deliveryTestbed(t.db);
    const crew = await bed.crew();
    const assigned = await bed.delivery({ deliveryCrewId: crew.principal.id, status: "assigned" });
    const cancelled = await bed.delivery({
      deliveryCrewId: crew.principal.id,
      status: "cancelled",
      cancelledAt: earlier,
    });
    const early = await call(bed.app, "POST", `/api/deliveries/${assigned}/deliver`, { token: crew.token });
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe("Pick the order up before marking it delivered.");
    expect(
      (await call(bed.app, "POST", `/api/deliveries/${cancelled}/pickup`, { token: crew.token })).status,
    ).toBe(409);
    expect(await deliveryRow(t.db, assigned)).toMatchObject({ status: "assigned", delivered_at: null });
    expect(await deliveryRow(t.db, cancelled)).toMatchObject({ status: "cancelled", picked_up_at: null });
    expect([...(await outboxOf(t.db, assigned)), ...(await outboxOf(t.db, cancelled))]).toEqual([]);
  });

  it("answers 404 to another crew member and for an unknown order, 403 to managers and customers", async () => {
    const bed = await deliveryTestbed(t.db);
    const crew = await bed.crew();
    const orderId = await bed.delivery({ deliveryCrewId: crew.principal.id, status: "assigned" });
    const other = await bed.crew();
    expect(
      (await call(bed.app, "POST", `/api/deliveries/${orderId}/pickup`, { token: other.token })).status,
    ).toBe(404);
    expect(
      (await call(bed.app, "POST", "/api/deliveries/2000000000/pickup", { token: crew.token })).status,
    ).toBe(404);
    expect((await call(bed.app, "POST", "/api/deliveries/x/pickup", { token: crew.token })).status).toBe(404);
    for (const who of [await bed.manager(), await bed.customer()]) {
      expect(
        (await call(bed.app, "POST", `/api/deliveries/${orderId}/pickup`, { token: who.token })).status,
      ).toBe(403);
    }
    expect((await call(bed.app, "POST", `/api/deliveries/${orderId}/pickup`)).status).toBe(401);
    expect(await deliveryRow(t.db, orderId)).toMatchObject({ status: "assigned", picked_up_at: null });
    expect(await outboxOf(t.db, orderId)).toEqual([]);
  });
});
