import { describe, expect, it } from "vitest";
import type { OrderStatus } from "../../shared/db/types.ts";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { orderTestbed, outboxFor } from "./test-support.ts";

const t = useTestDb();

async function setup(status: OrderStatus = "placed") {
  const bed = await orderTestbed(t.db);
  const owner = await bed.customer();
  const manager = await bed.manager();
  const crew = await bed.crew();
  const order = await bed.placedOrder(owner);
  if (status !== "placed") {
    await t.db
      .updateTable("orders")
      .set({ status, delivery_crew_id: crew.principal.id })
      .where("id", "=", order.id)
      .execute();
  }
  const status_ = async () =>
    (await t.db.selectFrom("orders").select("status").where("id", "=", order.id).executeTakeFirst())?.status;
  const events = async () => (await outboxFor(t.db, order.id)).map((e) => e.type);
  return { bed, owner, manager, crew, order, status: status_, events };
}

describe("POST /api/orders/{id}/cancel", () => {
  it("lets the owner cancel a placed order: 200, cancelled, both events written", async () => {
    const { bed, owner, order, status, events } = await setup();
    const res = await call(bed.app, "POST", `/api/orders/${order.id}/cancel`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: "cancelled" });
    expect(await status()).toBe("cancelled");
    expect(await events()).toEqual([
      "tavola.order.placed",
      "tavola.order.status.changed",
      "tavola.order.cancelled",
    ]);
  });

  it("answers 409 to the owner once the order is assigned, changing nothing", async () => {
    const { bed, owner, order, status, events } = await setup("assigned");
    const res = await call(bed.app, "POST", `/api/orders/${order.id}/cancel`, { token: owner.token });
    expect(res.status).toBe(409);
    expect(await status()).toBe("assigned");
    expect(await events()).toEqual(["tavola.order.placed"]);
  });

  it("lets a manager cancel until delivered, and answers 409 after", async () => {
    const out = await setup("out_for_delivery");
    const res = await call(out.bed.app, "POST", `/api/orders/${out.order.id}/cancel`, {
      token: out.manager.token,
    });
    expect(res.status).toBe(200);
    expect(await out.status()).toBe("cancelled");
    const done = await setup("delivered");
    const late = await call(done.bed.app, "POST", `/api/orders/${done.order.id}/cancel`, {
      token: done.manager.token,
    });
    expect(late.status).toBe(409);
    expect(await done.status()).toBe("delivered");
    expect(await done.events()).toEqual(["tavola.order.placed"]);
  });

  it("answers a cancelled order as it is, emitting nothing more", async () => {
    const { bed, owner, order, events } = await setup("cancelled");
    const res = await call(bed.app, "POST", `/api/orders/${order.id}/cancel`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect(await events()).toEqual(["tavola.order.placed"]);
  });

  it("answers 404 to a stranger and 403 to the assigned crew, changing nothing", async () => {
    const { bed, crew, order, status, events } = await setup("assigned");
    const stranger = await bed.customer();
    expect(
      (await call(bed.app, "POST", `/api/orders/${order.id}/cancel`, { token: stranger.token })).status,
    ).toBe(404);
    expect(
      (await call(bed.app, "POST", `/api/orders/${order.id}/cancel`, { token: crew.token })).status,
    ).toBe(403);
    expect(await status()).toBe("assigned");
    expect(await events()).toEqual(["tavola.order.placed"]);
  });
});

describe("DELETE /api/orders/{id}", () => {
  it("lets a manager delete an open order: 204, gone with its items, tavola.order.cancelled written", async () => {
    const { bed, manager, order, status, events } = await setup("assigned");
    const res = await call(bed.app, "DELETE", `/api/orders/${order.id}`, { token: manager.token });
    expect(res.status).toBe(204);
    expect(await status()).toBeUndefined();
    const items = await t.db
      .selectFrom("order_items")
      .select("id")
      .where("order_id", "=", order.id)
      .execute();
    expect(items).toEqual([]);
    expect(await events()).toEqual(["tavola.order.placed", "tavola.order.cancelled"]);
  });

  it("emits nothing when deleting a delivered order", async () => {
    const { bed, manager, order, events } = await setup("delivered");
    expect((await call(bed.app, "DELETE", `/api/orders/${order.id}`, { token: manager.token })).status).toBe(
      204,
    );
    expect(await events()).toEqual(["tavola.order.placed"]);
  });

  it("answers 403 to the owner and the crew, 404 for a missing order, changing nothing", async () => {
    const { bed, owner, crew, manager, order, status, events } = await setup("assigned");
    for (const who of [owner, crew]) {
      expect((await call(bed.app, "DELETE", `/api/orders/${order.id}`, { token: who.token })).status).toBe(
        403,
      );
    }
    expect((await call(bed.app, "DELETE", "/api/orders/99999999", { token: manager.token })).status).toBe(
      404,
    );
    expect(await status()).toBe("assigned");
    expect(await events()).toEqual(["tavola.order.placed"]);
  });
});
