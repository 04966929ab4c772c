import { describe, expect, it } from "vitest";
import { applyEvent, type TavolaEvent, toTavolaEvent } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { deliveryEvents as deliveryHandlers } from "../delivery/events.ts";
import { orderTestbed } from "../order/test-support.ts";

// Two managers assign crew to one order at the same moment. On PostgreSQL the two PATCHes really run at
// once (the test pool has several connections) and the order's row lock makes one commit after the
// other; the transaction that started first may commit last, so its events carry the *earlier* time but
// the *newer* version. Whatever order delivery then receives the events in (by time, newest version
// first, shuffled, each twice), its crew must be the order's crew. On PGlite the requests are serialised.

const t = useTestDb();
const ROUNDS = 30;
const logger = createLogger("silent");

async function orderEvents(orderId: number): Promise<TavolaEvent[]> {
  const rows = await t.db
    .selectFrom("outbox")
    .select(["id", "source", "type", "subject", "data", "created_at"])
    .where("subject", "=", String(orderId))
    .where("source", "=", "/tavola/order")
    .execute();
  return rows.map((row) =>
    toTavolaEvent({
      attributes: {
        id: row.id,
        source: row.source,
        type: row.type,
        subject: row.subject,
        time: row.created_at.toISOString(),
      },
      data: row.data,
    }),
  );
}

type Arrival = (events: TavolaEvent[]) => TavolaEvent[];
const byTime: Arrival = (events) => [...events].sort((a, b) => (a.time ?? "").localeCompare(b.time ?? ""));
const newestFirst: Arrival = (events) =>
  [...events].sort(
    (a, b) => (b.data as { version: number }).version - (a.data as { version: number }).version,
  );
const shuffledTwice: Arrival = (events) =>
  [...events, ...events]
    .map((event) => ({ event, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ event }) => event);
const ARRIVALS = [byTime, newestFirst, shuffledTwice];

describe("two managers assigning crew to one order at once", () => {
  it(`ends with delivery's crew equal to the order's crew, every time (${ROUNDS} races)`, async () => {
    const bed = await orderTestbed(t.db);
    const [customer, first, second] = [await bed.customer(), await bed.manager(), await bed.manager()];
    const [crewA, crewB] = [await bed.crew(), await bed.crew()];
    const deps = { db: t.db, consumer: "delivery", handlers: deliveryHandlers, logger };
    const mismatches: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = await bed.placedOrder(customer);
      const answers = await Promise.all([
        call(bed.app, "PATCH", `/api/orders/${order.id}`, {
          token: first.token,
          json: { delivery_crew: crewA.principal.id },
        }),
        call(bed.app, "PATCH", `/api/orders/${order.id}`, {
          token: second.token,
          json: { delivery_crew: crewB.principal.id },
        }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const arrival = ARRIVALS[round % ARRIVALS.length]!;
      for (const event of arrival(await orderEvents(order.id))) {
        await applyEvent(deps, event, { pending: [] });
      }
      const held = await t.db
        .selectFrom("orders")
        .innerJoin("deliveries", "deliveries.order_id", "orders.id")
        .select([
          "orders.delivery_crew_id as orderCrew",
          "deliveries.delivery_crew_id as deliveryCrew",
          "orders.version as orderVersion",
          "deliveries.order_version as appliedVersion",
          "deliveries.status",
        ])
        .where("orders.id", "=", order.id)
        .executeTakeFirstOrThrow();
      if (held.orderCrew !== held.deliveryCrew || held.orderVersion !== held.appliedVersion) {
        mismatches.push({ round, ...held });
      }
      expect(held.status).toBe("assigned");
    }
    expect(mismatches).toEqual([]);
  });
});
