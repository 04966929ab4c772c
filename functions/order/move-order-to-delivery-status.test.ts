import { describe, expect, it } from "vitest";
import { withTransaction } from "../../shared/db/index.ts";
import type { OrderStatus } from "../../shared/db/types.ts";
import type { TavolaEvent } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { useTestDb } from "../../shared/testing/index.ts";
import { moveOrderToDeliveryStatus } from "./move-order-to-delivery-status.ts";
import { orderTestbed, outboxFor } from "./test-support.ts";

const t = useTestDb();
const logger = createLogger("silent");

/** Delivers one event to the handler as the receiver would: in a transaction of its own. */
async function deliver(
  orderId: number,
  status: "out_for_delivery" | "delivered",
  version = status === "delivered" ? 4 : 3,
) {
  const event: TavolaEvent<"tavola.delivery.status.changed"> = {
    id: crypto.randomUUID(),
    source: "/tavola/delivery",
    type: "tavola.delivery.status.changed",
    subject: String(orderId),
    time: new Date().toISOString(),
    data: { order_id: orderId, version, status, at: new Date().toISOString() },
  };
  const pending: string[] = [];
  await withTransaction(t.db, (trx) => moveOrderToDeliveryStatus({ trx, logger }, event), { pending });
  return pending;
}

async function orderIn(status: OrderStatus) {
  const bed = await orderTestbed(t.db);
  const crew = await bed.crew();
  const order = await bed.placedOrder(await bed.customer());
  await t.db
    .updateTable("orders")
    .set({ status, delivery_crew_id: status === "placed" ? null : crew.principal.id })
    .where("id", "=", order.id)
    .execute();
  const state = async () => {
    const row = await t.db
      .selectFrom("orders")
      .select("status")
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    const events = (await outboxFor(t.db, order.id)).slice(1);
    return { status: row.status, events: events.map((e) => e.data) };
  };
  return { id: order.id, state };
}

/** What state() shows of an assigned order the delivery moved once, to `status`: one event, version 2. */
function movedFromAssigned(orderId: number, status: OrderStatus) {
  return {
    status,
    events: [expect.objectContaining({ order_id: orderId, version: 2, status, previous: "assigned" })],
  };
}

describe("order's reaction to tavola.delivery.status.changed", () => {
  it("moves the order and emits tavola.order.status.changed, published after commit", async () => {
    const order = await orderIn("assigned");
    const pending = await deliver(order.id, "out_for_delivery");
    expect(pending).toHaveLength(1);
    expect(await order.state()).toEqual(movedFromAssigned(order.id, "out_for_delivery"));
  });

  it("finds the order already in that status: changes nothing and writes no outbox row", async () => {
    const order = await orderIn("out_for_delivery");
    expect(await deliver(order.id, "out_for_delivery")).toEqual([]);
    expect(await order.state()).toEqual({ status: "out_for_delivery", events: [] });
  });

  it("converges when delivered overtakes out_for_delivery", async () => {
    const order = await orderIn("assigned");
    await deliver(order.id, "delivered");
    expect(await deliver(order.id, "out_for_delivery")).toEqual([]);
    expect(await order.state()).toEqual(movedFromAssigned(order.id, "delivered"));
  });

  it("acknowledges a delivery version it already holds or an older one, changing nothing", async () => {
    const order = await orderIn("assigned");
    await deliver(order.id, "out_for_delivery", 5);
    const after = await order.state();
    // A later status, but of an older delivery version: the delivery has moved on since (time decides nothing).
    expect(await deliver(order.id, "delivered", 4)).toEqual([]);
    expect(await deliver(order.id, "delivered", 5)).toEqual([]);
    expect(await order.state()).toEqual(after);
    const row = await t.db
      .selectFrom("orders")
      .select(["delivery_version", "version"])
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ delivery_version: 5, version: 2 });
  });

  it("acknowledges a move the machine forbids (a pickup racing a cancel) without changing anything", async () => {
    for (const status of ["cancelled", "placed"] as const) {
      const order = await orderIn(status);
      expect(await deliver(order.id, "out_for_delivery")).toEqual([]);
      expect(await order.state()).toEqual({ status, events: [] });
    }
  });

  it("acknowledges an event about an order that no longer exists", async () => {
    const before = await t.db.selectFrom("outbox").select("id").execute();
    await expect(deliver(2_000_000_000, "delivered")).resolves.toEqual([]);
    expect(await t.db.selectFrom("outbox").select("id").execute()).toEqual(before);
  });
});
