import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTransaction } from "../../db/transaction.ts";
import type { FunctionDefinition } from "../../runtime/function.ts";
import {
  assembleTest,
  pingTick,
  postEvent,
  probeConsumer,
  quietLogger,
} from "../../testing/event-fixtures.ts";
import { call, useTestDb } from "../../testing/index.ts";
import { enqueueEvent } from "../outbox/enqueue.ts";
import { createHttpPublisher } from "../outbox/publisher.ts";
import type { FetchLike } from "../outbox/sender.ts";

const t = useTestDb();

const ping = pingTick("order", { task: "sweep-outbox" });

/** The "order" test function with one pending event of its own, and a broker that takes everything. */
async function orderWithPendingEvent(overrides: Partial<FunctionDefinition> = {}) {
  const sent: string[] = [];
  const fetch: FetchLike = async (_url, init) => {
    sent.push(new Headers(init.headers).get("ce-id")!);
    return new Response(null, { status: 202 });
  };
  const id = await withTransaction(t.db, (trx) =>
    enqueueEvent(trx, {
      source: "order",
      type: "tavola.order.cancelled",
      subject: 5,
      data: { order_id: 5, version: 2, delivery_crew_id: null },
    }),
  );
  const publisher = createHttpPublisher({
    db: t.db,
    sink: "http://broker.test/",
    logger: quietLogger,
    fetch,
  });
  return { id, sent, publisher, definition: { ...probeConsumer("order"), ...overrides } };
}

async function outboxStatus(id: string) {
  return (await t.db.selectFrom("outbox").select("status").where("id", "=", id).executeTakeFirstOrThrow())
    .status;
}

describe("a PingSource tick on /events", () => {
  it("sweeps the function's outbox and answers what it did", async () => {
    const { id, sent, publisher, definition } = await orderWithPendingEvent();
    const app = await assembleTest(definition, t.db, { publisher });
    const res = await postEvent(app, ping);
    expect(res.status).toBe(200);
    expect(res.body.sweep).toMatchObject({ sent: 1, failed: 0, abandoned: 0 });
    expect(sent).toContain(id);
    expect(await outboxStatus(id)).toBe("sent");
    const metrics = await call(app, "GET", "/metrics");
    expect(metrics.body).toContain('tavola_outbox_swept_total{outcome="sent",source="/tavola/order"} 1');
    expect(metrics.body).toMatch(/tavola_outbox_rows\{source="\/tavola\/order",status="pending"\} 0/);
  });

  it("drains a backlog of more than one batch in one tick", async () => {
    const { publisher, definition } = await orderWithPendingEvent();
    const backlog = await withTransaction(t.db, async (trx) => {
      const ids: string[] = [];
      for (let n = 0; n < 60; n++)
        ids.push(
          await enqueueEvent(trx, {
            source: "order",
            type: "tavola.order.cancelled",
            subject: 100 + n,
            data: { order_id: 100 + n, version: 2, delivery_crew_id: null },
          }),
        );
      return ids;
    });
    const app = await assembleTest(definition, t.db, { publisher });
    const res = await postEvent(app, ping);
    expect(res.status).toBe(200);
    expect(res.body.sweep.claimed).toBeGreaterThan(50); // more than two batches of 25
    const left = await t.db
      .selectFrom("outbox")
      .select("id")
      .where("id", "in", backlog)
      .where("status", "!=", "sent")
      .execute();
    expect(left).toEqual([]);
  });

  it("negative control: the same tick with a publisher that offers no sweep leaves the event pending", async () => {
    // Only the publisher's sending side is taken away (as with no K_SINK): the first test's sent row is
    // the sweep's doing, not something else the tick does.
    const { id, sent, publisher, definition } = await orderWithPendingEvent();
    const app = await assembleTest(definition, t.db, { publisher: { publish: publisher.publish } });
    const res = await postEvent(app, ping);
    expect(res.status).toBe(200);
    expect(res.body.sweep.skipped).toMatch(/no broker/);
    expect(sent).toEqual([]);
    expect(await outboxStatus(id)).toBe("pending");
  });

  it("prunes old processed events and sent rows of its own, and runs the function's hook", async () => {
    const stale = sql<Date>`now() - interval '8 days'`;
    const mine = crypto.randomUUID();
    const recent = crypto.randomUUID();
    const others = crypto.randomUUID();
    await t.db
      .insertInto("processed_events")
      .values([
        { consumer: "order", source: "/tavola/delivery", event_id: mine, type: "x", processed_at: stale },
        { consumer: "order", source: "/tavola/delivery", event_id: recent, type: "x" },
        { consumer: "cart", source: "/tavola/menu", event_id: others, type: "x", processed_at: stale },
      ])
      .execute();
    const { id, publisher, definition } = await orderWithPendingEvent({
      onPing: async () => ({ idempotency_keys: 3 }),
    });
    await t.db.updateTable("outbox").set({ status: "sent", sent_at: stale }).where("id", "=", id).execute();
    const app = await assembleTest(definition, t.db, { publisher });
    const res = await postEvent(app, ping);
    expect(res.body.pruned).toEqual({ processed_events: 1, outbox: 1, idempotency_keys: 3 });
    const left = await t.db
      .selectFrom("processed_events")
      .select("event_id")
      .where("event_id", "in", [mine, recent, others])
      .execute();
    expect(left.map((r) => r.event_id).sort()).toEqual([recent, others].sort());
    expect(
      await t.db.selectFrom("outbox").select("id").where("id", "=", id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("answers 5xx when the hook fails, so the next tick tries again", async () => {
    const { definition } = await orderWithPendingEvent({
      onPing: async () => {
        throw new Error("hook broke");
      },
    });
    const app = await assembleTest(definition, t.db);
    const res = await postEvent(app, ping);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain("hook broke");
  });
});
