import { describe, expect, it } from "vitest";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { type Actor, orderTestbed, outboxFor } from "./test-support.ts";

const t = useTestDb();

async function orderRow(id: number) {
  return t.db
    .selectFrom("orders")
    .select(["status", "delivery_crew_id", "total", "user_id"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

/** An order placed by a new customer and, when a crew member is given, assigned to them. */
async function setup(options: { assignTo?: "crew"; status?: "out_for_delivery" } = {}) {
  const bed = await orderTestbed(t.db);
  const owner = await bed.customer();
  const manager = await bed.manager();
  const crew = await bed.crew();
  const order = await bed.placedOrder(owner);
  if (options.assignTo) {
    await t.db
      .updateTable("orders")
      .set({ delivery_crew_id: crew.principal.id, status: options.status ?? "assigned" })
      .where("id", "=", order.id)
      .execute();
  }
  const patch = (who: Actor, body: { json?: unknown; form?: Record<string, string> }, method = "PATCH") =>
    call(bed.app, method, `/api/orders/${order.id}`, { token: who.token, ...body });
  /** Proves a refused request changed nothing and emitted nothing. */
  const unchanged = async (expected: { status: string; delivery_crew_id: number | null }) => {
    expect(await orderRow(order.id)).toMatchObject(expected);
    expect((await outboxFor(t.db, order.id)).map((e) => e.type)).toEqual(["tavola.order.placed"]);
  };
  return { bed, owner, manager, crew, order, patch, unchanged };
}

describe("PATCH/PUT /api/orders/{id} by a manager", () => {
  it("assigns a crew member: the order becomes assigned and both events are written", async () => {
    const { manager, crew, order, patch } = await setup();
    const res = await patch(manager, { json: { delivery_crew: crew.principal.id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: "assigned", delivery_crew: crew.principal.id });
    expect(res.body.items).toHaveLength(1);
    expect(await orderRow(order.id)).toMatchObject({
      status: "assigned",
      delivery_crew_id: crew.principal.id,
    });
    expect((await outboxFor(t.db, order.id)).slice(1)).toEqual([
      expect.objectContaining({
        type: "tavola.order.assigned",
        data: { order_id: order.id, version: 2, delivery_crew_id: crew.principal.id },
      }),
      expect.objectContaining({
        type: "tavola.order.status.changed",
        data: {
          order_id: order.id,
          version: 2,
          status: "assigned",
          previous: "placed",
          delivery_crew_id: crew.principal.id,
        },
      }),
    ]);
  });

  it("assigns from a Little Lemon form body with PUT, ignoring server-owned fields", async () => {
    const { manager, crew, order, patch, owner } = await setup();
    const res = await patch(
      manager,
      { form: { delivery_crew: String(crew.principal.id), total: "0.01", user: String(crew.principal.id) } },
      "PUT",
    );
    expect(res.status).toBe(200);
    expect(await orderRow(order.id)).toEqual({
      status: "assigned",
      delivery_crew_id: crew.principal.id,
      total: order.total,
      user_id: owner.principal.id,
    });
  });

  it("reads Little Lemon's status 0/1 and false/true on an order with a crew", async () => {
    for (const [sent, expected] of [
      [{ json: { status: 0 } }, "out_for_delivery"],
      [{ form: { status: "false" } }, "out_for_delivery"],
      [{ json: { status: true } }, "delivered"],
      [{ form: { status: "1" } }, "delivered"],
    ] as const) {
      const { manager, order, patch } = await setup({ assignTo: "crew" });
      const res = await patch(manager, sent);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(expected);
      expect((await orderRow(order.id)).status).toBe(expected);
      expect((await outboxFor(t.db, order.id)).at(-1)).toMatchObject({
        type: "tavola.order.status.changed",
        data: { order_id: order.id, status: expected, previous: "assigned" },
      });
    }
  });

  it("answers 400 when delivery_crew is not in the delivery crew, changing nothing", async () => {
    const { manager, owner, patch, unchanged } = await setup();
    const res = await patch(manager, { json: { delivery_crew: owner.principal.id } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: "delivery_crew", message: "must be a member of the delivery crew" },
    ]);
    await unchanged({ status: "placed", delivery_crew_id: null });
    expect((await patch(manager, { json: { delivery_crew: 2_000_000_000 } })).status).toBe(400);
    await unchanged({ status: "placed", delivery_crew_id: null });
  });

  it("answers 409 for a transition the machine forbids, changing nothing", async () => {
    const { manager, order, patch, unchanged } = await setup();
    const res = await patch(manager, { json: { status: "delivered" } });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe("An order that is placed cannot become delivered.");
    // Little Lemon's 0 on an order without a crew is out_for_delivery from placed: refused too.
    expect((await patch(manager, { form: { status: "0" } })).status).toBe(409);
    await unchanged({ status: "placed", delivery_crew_id: null });
    expect(order.status).toBe("placed");
  });

  it("answers 409 for a new crew once the order is out for delivery", async () => {
    const { manager, crew, order, patch, bed } = await setup({
      assignTo: "crew",
      status: "out_for_delivery",
    });
    const other = await bed.crew();
    const res = await patch(manager, { json: { delivery_crew: other.principal.id } });
    expect(res.status).toBe(409);
    expect(await orderRow(order.id)).toMatchObject({
      status: "out_for_delivery",
      delivery_crew_id: crew.principal.id,
    });
  });

  it("answers 400 for an empty body or an unknown status, and 404 for a missing order", async () => {
    const { manager, patch, unchanged, bed } = await setup();
    expect((await patch(manager, { json: {} })).status).toBe(400);
    const bad = await patch(manager, { json: { status: "lost" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("status");
    await unchanged({ status: "placed", delivery_crew_id: null });
    const missing = await call(bed.app, "PATCH", "/api/orders/99999999", {
      token: manager.token,
      json: { status: "cancelled" },
    });
    expect(missing.status).toBe(404);
  });

  it("changes nothing and emits nothing when the order is already as asked", async () => {
    const { manager, crew, order, patch } = await setup({ assignTo: "crew" });
    const res = await patch(manager, { json: { delivery_crew: crew.principal.id, status: "assigned" } });
    expect(res.status).toBe(200);
    expect((await outboxFor(t.db, order.id)).map((e) => e.type)).toEqual(["tavola.order.placed"]);
  });
});

describe("PATCH /api/orders/{id} by the crew and by customers", () => {
  it("lets the assigned crew member set the status (Little Lemon 1 = delivered)", async () => {
    const { crew, order, patch } = await setup({ assignTo: "crew", status: "out_for_delivery" });
    const res = await patch(crew, { form: { status: "1" } }, "PUT");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("delivered");
    expect((await outboxFor(t.db, order.id)).at(-1)).toMatchObject({
      data: { order_id: order.id, status: "delivered", previous: "out_for_delivery" },
    });
  });

  it("answers 403 to the assigned crew member sending delivery_crew or another status", async () => {
    const { crew, patch, bed } = await setup({ assignTo: "crew" });
    const colleague = await bed.crew();
    const reassign = await patch(crew, { json: { status: 0, delivery_crew: colleague.principal.id } });
    expect(reassign.status).toBe(403);
    expect((await patch(crew, { json: { status: "cancelled" } })).status).toBe(403);
    const row = await t.db
      .selectFrom("orders")
      .select(["status", "delivery_crew_id"])
      .where("delivery_crew_id", "=", crew.principal.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "assigned", delivery_crew_id: crew.principal.id });
  });

  it("answers 404 to a crew member the order is not assigned to", async () => {
    const { patch, bed, order } = await setup({ assignTo: "crew" });
    const stranger = await bed.crew();
    expect((await patch(stranger, { json: { status: 0 } })).status).toBe(404);
    expect((await orderRow(order.id)).status).toBe("assigned");
  });

  it("answers 403 to a customer, even the owner", async () => {
    const { owner, patch, unchanged, bed } = await setup();
    expect((await patch(owner, { json: { status: "cancelled" } })).status).toBe(403);
    expect((await patch(await bed.customer(), { json: { status: 1 } })).status).toBe(403);
    await unchanged({ status: "placed", delivery_crew_id: null });
  });
});
