import { describe, expect, it } from "vitest";
import { withTransaction } from "../../shared/db/index.ts";
import type { EventType, TavolaEvent } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { useTestDb } from "../../shared/testing/index.ts";
import { deliveryEvents } from "./events.ts";
import { deliveryRow, nextOrderId, orderEvent } from "./test-support.ts";

const t = useTestDb();
const logger = createLogger("silent");
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 12, minute));

/** Hands one event to its handler as the receiver would: in a transaction of its own. */
async function receive<T extends EventType>(event: TavolaEvent<T>): Promise<string[]> {
  const handler = deliveryEvents[event.type] as
    | ((ctx: unknown, e: TavolaEvent<T>) => Promise<void>)
    | undefined;
  if (!handler) throw new Error(`delivery does not handle ${event.type}`);
  const pending: string[] = [];
  await withTransaction(t.db, (trx) => handler({ trx, logger }, event), { pending });
  return pending;
}

// Each event carries the order's version after its change; the minute is only its (informational) time.
const placed = (orderId: number, minute = 0) =>
  orderEvent(
    "tavola.order.placed",
    { order_id: orderId, version: 1, user_id: 1, total: "5.00", items: [] },
    at(minute),
  );
const assigned = (orderId: number, crew: number, minute = 1, version = 2) =>
  orderEvent("tavola.order.assigned", { order_id: orderId, version, delivery_crew_id: crew }, at(minute));
const STATUS_VERSION = { assigned: 2, out_for_delivery: 3, delivered: 4 } as const;
const status = (
  orderId: number,
  s: "assigned" | "out_for_delivery" | "delivered",
  previous: "placed" | "assigned" | "out_for_delivery",
  minute: number,
  crew: number | null = 42,
) =>
  orderEvent(
    "tavola.order.status.changed",
    { order_id: orderId, version: STATUS_VERSION[s], status: s, previous, delivery_crew_id: crew },
    at(minute),
  );
const cancelled = (orderId: number, minute = 5, version = 5) =>
  orderEvent("tavola.order.cancelled", { order_id: orderId, version, delivery_crew_id: 42 }, at(minute));

async function outboxCount() {
  return (await t.db.selectFrom("outbox").select("id").execute()).length;
}

describe("delivery's reactions to order events", () => {
  it("opens an unassigned delivery on tavola.order.placed, and ignores a redelivery", async () => {
    const id = nextOrderId();
    await receive(placed(id));
    const row = await deliveryRow(t.db, id);
    expect(row).toMatchObject({ status: "unassigned", delivery_crew_id: null });
    await receive(placed(id));
    expect(await deliveryRow(t.db, id)).toEqual(row);
  });

  it("follows assigned, out_for_delivery and delivered, stamping each step with the event's time", async () => {
    const id = nextOrderId();
    await receive(placed(id));
    await receive(assigned(id, 42, 1));
    await receive(status(id, "assigned", "placed", 1));
    await receive(status(id, "out_for_delivery", "assigned", 2));
    await receive(status(id, "delivered", "out_for_delivery", 3));
    expect(await deliveryRow(t.db, id)).toMatchObject({
      status: "delivered",
      delivery_crew_id: 42,
      assigned_at: at(1),
      picked_up_at: at(2),
      delivered_at: at(3),
    });
  });

  it("cancelled before placed: the row is created cancelled and the late placed does not reopen it", async () => {
    const id = nextOrderId();
    await receive(cancelled(id));
    await receive(placed(id));
    expect(await deliveryRow(t.db, id)).toMatchObject({ status: "cancelled", cancelled_at: at(5) });
  });

  it("delivered before assigned: ends delivered with the crew set; the older events change nothing", async () => {
    const id = nextOrderId();
    await receive(status(id, "delivered", "out_for_delivery", 3));
    const newest = await deliveryRow(t.db, id);
    await receive(assigned(id, 42, 1));
    await receive(placed(id));
    await receive(status(id, "out_for_delivery", "assigned", 2));
    expect(newest).toMatchObject({ status: "delivered", delivery_crew_id: 42, order_version: 4 });
    expect(await deliveryRow(t.db, id)).toEqual(newest);
  });

  it("a reassignment of a newer version wins although its event's time is older", async () => {
    const id = nextOrderId();
    await receive(placed(id));
    await receive(assigned(id, 43, 1, 3));
    await receive(assigned(id, 42, 9, 2));
    expect(await deliveryRow(t.db, id)).toMatchObject({ delivery_crew_id: 43, order_version: 3 });
  });

  it("assigned before placed: the row is upserted as assigned and stays so", async () => {
    const id = nextOrderId();
    await receive(assigned(id, 42));
    await receive(placed(id));
    expect(await deliveryRow(t.db, id)).toMatchObject({ status: "assigned", delivery_crew_id: 42 });
  });

  it("placed and assigned arriving at the same moment both apply (the second waits for the first's row)", async () => {
    const id = nextOrderId();
    await Promise.all([
      receive(placed(id)),
      receive(assigned(id, 42)),
      receive(status(id, "assigned", "placed", 1)),
    ]);
    expect(await deliveryRow(t.db, id)).toMatchObject({ status: "assigned", delivery_crew_id: 42 });
  });

  it("never emits, and finds a status it already has without writing anything (no loops)", async () => {
    const id = nextOrderId();
    await receive(placed(id));
    await receive(assigned(id, 42));
    await receive(status(id, "out_for_delivery", "assigned", 2));
    const before = await deliveryRow(t.db, id);
    const outbox = await outboxCount();
    // The echo: order reports the status delivery itself reached.
    expect(await receive(status(id, "out_for_delivery", "assigned", 2))).toEqual([]);
    expect(await deliveryRow(t.db, id)).toEqual(before);
    expect(await outboxCount()).toBe(outbox);
  });
});
