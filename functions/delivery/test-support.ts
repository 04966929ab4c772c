// Fixtures for the delivery function's tests (not a test file itself).
import { type Kysely, sql } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import type { EventData, EventType, TavolaEvent } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { testActors } from "../../shared/testing/actors.ts";
import { createTestKeys } from "../../shared/testing/index.ts";
import { deliveryFunction } from "./definition.ts";
import type { DeliveryRecord } from "./delivery-record.ts";
import { emptyDelivery } from "./delivery-record.ts";

export type { Actor } from "../../shared/testing/actors.ts";

/** A fixed clock for pickups and deliveries, so their times can be asserted. */
export const NOW = new Date("2026-11-22T12:00:00.000Z");

/** The delivery app over a test database, with helpers for users and delivery rows. */
export async function deliveryTestbed(db: Kysely<Database>) {
  const keys = await createTestKeys();
  const app = createApp(deliveryFunction, {
    db,
    logger: createLogger("silent"),
    verify: keys.verify,
    clock: () => NOW,
  });
  const actors = testActors(db, () => keys);
  return {
    app,
    customer: actors.customer,
    manager: actors.manager,
    crew: actors.crew,
    /** Inserts a delivery row as the event handlers would have left it. */
    delivery: async (record: Partial<DeliveryRecord> = {}) => {
      const orderId = record.orderId ?? nextOrderId();
      const full = { ...emptyDelivery(orderId), ...record };
      await db
        .insertInto("deliveries")
        .values({
          order_id: orderId,
          delivery_crew_id: full.deliveryCrewId,
          status: full.status,
          assigned_at: full.assignedAt,
          picked_up_at: full.pickedUpAt,
          delivered_at: full.deliveredAt,
          cancelled_at: full.cancelledAt,
        })
        .execute();
      return orderId;
    },
  };
}

// Deliveries carry no foreign key to orders: tests may invent order ids, unique within a process.
let lastOrderId = 1_000_000;
export function nextOrderId(): number {
  lastOrderId += 1;
  return lastOrderId;
}

/** A delivery row as stored, or undefined. */
export async function deliveryRow(db: Kysely<Database>, orderId: number) {
  return db.selectFrom("deliveries").selectAll().where("order_id", "=", orderId).executeTakeFirst();
}

/** Every outbox row about one order from one source, oldest first. */
export async function outboxOf(db: Kysely<Database>, orderId: number, source = "/tavola/delivery") {
  return db
    .selectFrom("outbox")
    .select(["type", "data"])
    .where("subject", "=", String(orderId))
    .where("source", "=", source)
    .orderBy("created_at")
    .orderBy(sql`ctid`)
    .execute();
}

/** An event as the receiver hands it to a handler. */
export function orderEvent<T extends EventType>(type: T, data: EventData<T>, time?: Date): TavolaEvent<T> {
  return {
    id: crypto.randomUUID(),
    source: "/tavola/order",
    type,
    subject: String((data as { order_id?: number }).order_id ?? ""),
    time: (time ?? new Date()).toISOString(),
    data,
  };
}
