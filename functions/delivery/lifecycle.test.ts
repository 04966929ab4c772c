import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTransaction } from "../../shared/db/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { catalogue, type EventHandler, type EventHandlers, isEventType } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { createActor } from "../../shared/testing/actors.ts";
import { call, createTestKeys, useTestDb } from "../../shared/testing/index.ts";
import { orderFunction } from "../order/definition.ts";
import { fillCart } from "../order/test-support.ts";
import { deliveryFunction } from "./definition.ts";

// Until the broker is merged in, this stands in for it: a tiny relay that reads pending outbox rows and
// hands each to every function whose definition handles its type, inside a transaction that also
// records the event as processed (as the receiver will). It proves that order and delivery converge
// and that no status echoes between them for more than one round.

const t = useTestDb();
const logger = createLogger("silent");
const CONSUMERS: { name: string; handlers: EventHandlers }[] = [
  { name: "order", handlers: orderFunction.events ?? {} },
  { name: "delivery", handlers: deliveryFunction.events ?? {} },
];

/** Delivers pending events until none are left; returns how many rounds that took. */
async function relay(db: Kysely<Database>, options: { newestFirst?: boolean } = {}): Promise<number> {
  for (let round = 1; round <= 10; round++) {
    const rows = await db
      .selectFrom("outbox")
      .selectAll()
      .where("status", "=", "pending")
      .orderBy("created_at", options.newestFirst ? "desc" : "asc")
      .orderBy(sql`ctid`, options.newestFirst ? "desc" : "asc")
      .execute();
    if (rows.length === 0) return round - 1;
    for (const row of rows) {
      if (!isEventType(row.type)) throw new Error(`unknown event type ${row.type}`);
      const event = {
        id: row.id,
        source: row.source,
        type: row.type,
        subject: row.subject,
        time: row.created_at.toISOString(),
        data: catalogue[row.type].parse(row.data),
      };
      for (const consumer of CONSUMERS) {
        const handler = consumer.handlers[row.type] as EventHandler<typeof row.type> | undefined;
        if (!handler) continue;
        // Twice, as at-least-once delivery may: the processed row makes the second a no-op.
        for (let attempt = 0; attempt < 2; attempt++) {
          await withTransaction(db, async (trx) => {
            const fresh = await trx
              .insertInto("processed_events")
              .values({ consumer: consumer.name, source: row.source, event_id: row.id, type: row.type })
              .onConflict((oc) => oc.columns(["consumer", "source", "event_id"]).doNothing())
              .returning("event_id")
              .executeTakeFirst();
            if (fresh) await handler({ trx, logger }, event as never);
          });
        }
      }
      await db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: new Date() })
        .where("id", "=", row.id)
        .execute();
    }
  }
  throw new Error("events still flowing after 10 rounds: order and delivery are echoing each other");
}

async function world() {
  const keys = await createTestKeys();
  const deps = { db: t.db, logger, verify: keys.verify };
  const order = createApp(orderFunction, deps);
  const delivery = createApp(deliveryFunction, deps);
  const customer = await createActor(t.db, keys, "customer");
  const manager = await createActor(t.db, keys, "manager");
  const crew = await createActor(t.db, keys, "crew");
  await fillCart(t.db, customer.principal.id, [{ price: "12.00", quantity: 1 }]);
  const placed = await call(order, "POST", "/api/orders", { token: customer.token });
  expect(placed.status).toBe(201);
  const id: number = placed.body.id;
  const state = async () => ({
    order: await t.db
      .selectFrom("orders")
      .select(["status", "delivery_crew_id"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow(),
    delivery: await t.db
      .selectFrom("deliveries")
      .select(["status", "delivery_crew_id"])
      .where("order_id", "=", id)
      .executeTakeFirst(),
  });
  return { order, delivery, customer, manager, crew, id, state };
}

describe("order and delivery, wired by their events", () => {
  it("run the whole lifecycle to delivered, the echo stopping after one round", async () => {
    const w = await world();
    await relay(t.db);
    expect(await w.state()).toEqual({
      order: { status: "placed", delivery_crew_id: null },
      delivery: { status: "unassigned", delivery_crew_id: null },
    });

    const assign = await call(w.order, "PATCH", `/api/orders/${w.id}`, {
      token: w.manager.token,
      json: { delivery_crew: w.crew.principal.id },
    });
    expect(assign.status).toBe(200);
    await relay(t.db);
    const crewId = w.crew.principal.id;
    expect(await w.state()).toEqual({
      order: { status: "assigned", delivery_crew_id: crewId },
      delivery: { status: "assigned", delivery_crew_id: crewId },
    });

    const pickup = await call(w.delivery, "POST", `/api/deliveries/${w.id}/pickup`, { token: w.crew.token });
    expect(pickup.status).toBe(200);
    // Round 1: delivery's event moves the order, which reports it; round 2: delivery finds it has that
    // status already and emits nothing. Then nothing is pending.
    expect(await relay(t.db)).toBe(2);
    expect(await w.state()).toEqual({
      order: { status: "out_for_delivery", delivery_crew_id: crewId },
      delivery: { status: "out_for_delivery", delivery_crew_id: crewId },
    });

    const delivered = await call(w.order, "PATCH", `/api/orders/${w.id}`, {
      token: w.crew.token,
      form: { status: "1" },
    });
    expect(delivered.body.status).toBe("delivered");
    expect(await relay(t.db)).toBe(1);
    expect(await w.state()).toEqual({
      order: { status: "delivered", delivery_crew_id: crewId },
      delivery: { status: "delivered", delivery_crew_id: crewId },
    });
    const deliveryEvents = await t.db
      .selectFrom("outbox")
      .select("type")
      .where("source", "=", "/tavola/delivery")
      .where("subject", "=", String(w.id))
      .execute();
    expect(deliveryEvents).toEqual([{ type: "tavola.delivery.status.changed" }]);
  });

  it("converge on the cancel path, even when a pickup races the cancel", async () => {
    const w = await world();
    await call(w.order, "PATCH", `/api/orders/${w.id}`, {
      token: w.manager.token,
      json: { delivery_crew: w.crew.principal.id },
    });
    await relay(t.db);
    const ownerCancel = await call(w.order, "POST", `/api/orders/${w.id}/cancel`, {
      token: w.customer.token,
    });
    expect(ownerCancel.status).toBe(409);
    // Both happen before either function hears of the other's change.
    const cancel = await call(w.order, "POST", `/api/orders/${w.id}/cancel`, { token: w.manager.token });
    const pickup = await call(w.delivery, "POST", `/api/deliveries/${w.id}/pickup`, { token: w.crew.token });
    expect([cancel.status, pickup.status]).toEqual([200, 200]);
    await relay(t.db);
    const crewId = w.crew.principal.id;
    expect(await w.state()).toEqual({
      order: { status: "cancelled", delivery_crew_id: crewId },
      delivery: { status: "cancelled", delivery_crew_id: crewId },
    });
  });

  it("converge when every pending event is delivered newest first", async () => {
    const w = await world();
    await call(w.order, "PATCH", `/api/orders/${w.id}`, {
      token: w.manager.token,
      json: { delivery_crew: w.crew.principal.id },
    });
    await call(w.order, "PATCH", `/api/orders/${w.id}`, {
      token: w.manager.token,
      json: { status: "cancelled" },
    });
    // cancelled, then status.changed, then assigned, then placed: each arrives before what preceded it.
    await relay(t.db, { newestFirst: true });
    expect(await w.state()).toEqual({
      order: { status: "cancelled", delivery_crew_id: w.crew.principal.id },
      delivery: { status: "cancelled", delivery_crew_id: w.crew.principal.id },
    });
  });
});
