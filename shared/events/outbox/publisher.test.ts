import { describe, expect, it } from "vitest";
import { createDb } from "../../db/create-db.ts";
import { withTransaction } from "../../db/transaction.ts";
import { quietLogger } from "../../testing/event-fixtures.ts";
import { freePort } from "../../testing/free-port.ts";
import { useTestDb } from "../../testing/index.ts";
import { enqueueEvent } from "./enqueue.ts";
import { createHttpPublisher } from "./publisher.ts";
import type { FetchLike } from "./sender.ts";

const t = useTestDb();
const SINK = "http://broker-ingress.test/tavola/default";

async function pendingEvent(price = "5.50"): Promise<string> {
  return withTransaction(t.db, (trx) =>
    enqueueEvent(trx, {
      source: "menu",
      type: "tavola.menu.item.changed",
      subject: 12,
      data: { menuitem_id: 12, version: 2, title: "Soup", price },
    }),
  );
}

async function row(id: string) {
  return t.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** A sink that records what it got and answers `status`. */
function recordingSink(status = 202) {
  const received: { url: string; headers: Headers; body: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    received.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    return new Response(null, { status });
  };
  return { received, fetch };
}

describe("createHttpPublisher", () => {
  it("POSTs each pending row to K_SINK as a binary-mode CloudEvent and marks it sent", async () => {
    const id = await pendingEvent("6.25");
    const sink = recordingSink();
    await createHttpPublisher({ db: t.db, sink: SINK, logger: quietLogger, fetch: sink.fetch }).publish([id]);
    expect(sink.received).toHaveLength(1);
    const [sent] = sink.received;
    expect(sent!.url).toBe(SINK);
    expect(Object.fromEntries(sent!.headers)).toMatchObject({
      "ce-specversion": "1.0",
      "ce-id": id,
      "ce-source": "/tavola/menu",
      "ce-type": "tavola.menu.item.changed",
      "ce-subject": "12",
      "content-type": "application/json",
    });
    expect(new Date(sent!.headers.get("ce-time")!).getTime()).toBe((await row(id)).created_at.getTime());
    expect(JSON.parse(sent!.body)).toEqual({ menuitem_id: 12, version: 2, title: "Soup", price: "6.25" });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, lease_until: null, last_error: null });
  });

  it.each([
    ["the broker answers 503", async () => new Response("busy", { status: 503 }), /503/],
    [
      "the broker cannot be reached",
      async () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      },
      /ECONNREFUSED/,
    ],
  ] as [string, FetchLike, RegExp][])(
    "when %s, records the attempt and leaves the row for the sweep",
    async (_label, fetch, error) => {
      const id = await pendingEvent();
      const publisher = createHttpPublisher({ db: t.db, sink: SINK, logger: quietLogger, fetch });
      await expect(publisher.publish([id])).resolves.toBeUndefined();
      const after = await row(id);
      expect(after).toMatchObject({ status: "pending", attempts: 1, lease_until: null, sent_at: null });
      expect(after.last_error).toMatch(error);
    },
  );

  it("gives up on a broker that does not answer within the timeout", async () => {
    const id = await pendingEvent();
    const hanging: FetchLike = (_url, init) =>
      new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const started = Date.now();
    await createHttpPublisher({
      db: t.db,
      sink: SINK,
      logger: quietLogger,
      fetch: hanging,
      timeoutMs: 50,
    }).publish([id]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await row(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: "the broker did not answer in time",
    });
  });

  it("sends nothing that is already sent or held by another sender", async () => {
    const sentAlready = await pendingEvent();
    const held = await pendingEvent();
    await t.db.updateTable("outbox").set({ status: "sent" }).where("id", "=", sentAlready).execute();
    const lease = new Date(Date.now() + 60_000);
    await t.db.updateTable("outbox").set({ lease_until: lease }).where("id", "=", held).execute();
    const sink = recordingSink();
    await createHttpPublisher({ db: t.db, sink: SINK, logger: quietLogger, fetch: sink.fetch }).publish([
      sentAlready,
      held,
    ]);
    expect(sink.received).toHaveLength(0);
    expect(await row(held)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("never throws, even when the database is gone", async () => {
    const gone = createDb({ databaseUrl: `postgres://x@127.0.0.1:${await freePort()}/none` });
    const publisher = createHttpPublisher({
      db: gone,
      sink: SINK,
      logger: quietLogger,
      fetch: recordingSink().fetch,
    });
    await expect(publisher.publish([crypto.randomUUID()])).resolves.toBeUndefined();
    await gone.destroy();
  });
});
