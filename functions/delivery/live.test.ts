import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { GroupName } from "../../shared/db/types.ts";
import { DEFAULT_LIVE_SETTINGS } from "../../shared/live/settings.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { assembleTest, pingTick, postEvent, quietLogger } from "../../shared/testing/event-fixtures.ts";
import { call, createTestKeys, createUser, useTestDb } from "../../shared/testing/index.ts";
import { sseReader } from "../../shared/testing/sse.ts";
import { deliveryFunction } from "./definition.ts";
import { createDeliveryFeedPoller } from "./live.ts";
import { NOW } from "./test-support.ts";

const t = useTestDb();
let nextOrder = 700_000;

/** Two pods of the delivery function over one database, users, and delivery rows as the handlers leave them. */
async function cluster() {
  const keys = await createTestKeys();
  const live = { ...DEFAULT_LIVE_SETTINGS, pollMs: 20 };
  const pod = () => {
    const deps = { db: t.db, logger: quietLogger, verify: keys.verify, live, clock: () => NOW };
    const poller = createDeliveryFeedPoller(deps);
    return { app: createApp(deliveryFunction, { ...deps, feedPoller: poller }), poller };
  };
  const user = async (groups: GroupName[] = []) => {
    const principal = await createUser(t.db, { groups });
    return { id: principal.id, token: await keys.tokenFor(principal) };
  };
  type User = Awaited<ReturnType<typeof user>>;
  const [a, b] = [pod(), pod()];
  return {
    a,
    b,
    user,
    stream: (via: typeof a, who: User) =>
      via.app.request("/api/deliveries/stream", { headers: { authorization: `Bearer ${who.token}` } }),
    assigned: async (crewId: number) => {
      const orderId = nextOrder++;
      await t.db
        .insertInto("deliveries")
        .values({ order_id: orderId, delivery_crew_id: crewId, status: "assigned", assigned_at: NOW })
        .execute();
      return orderId;
    },
    act: (via: typeof a, who: User, orderId: number, action: "pickup" | "deliver") =>
      call(via.app, "POST", `/api/deliveries/${orderId}/${action}`, { token: who.token }),
  };
}

describe("GET /api/deliveries/stream", () => {
  it("is 401 without a token and 403 for a customer, as GET /api/deliveries; nothing subscribes", async () => {
    const c = await cluster();
    const customer = await c.user();
    expect((await c.a.app.request("/api/deliveries/stream")).status).toBe(401);
    const res = await c.stream(c.a, customer);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 403 });
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false, polls: 0 });
  });

  it("shows crew members their own deliveries moving, a manager all, made through another pod", async () => {
    const c = await cluster();
    const [crew, crew2, manager] = [
      await c.user(["delivery-crew"]),
      await c.user(["delivery-crew"]),
      await c.user(["manager"]),
    ];
    const streams = {
      crew: sseReader(await c.stream(c.a, crew)),
      crew2: sseReader(await c.stream(c.a, crew2)),
      manager: sseReader(await c.stream(c.a, manager)),
    };
    const theirs = await c.assigned(crew2.id);
    const mine = await c.assigned(crew.id);
    expect((await c.act(c.b, crew2, theirs, "pickup")).status).toBe(200);
    expect((await c.act(c.b, crew, mine, "pickup")).status).toBe(200);
    expect((await c.act(c.b, crew, mine, "deliver")).status).toBe(200);

    const list = await call(c.b.app, "GET", "/api/deliveries", { token: crew.token });
    const delivered = await streams.crew.untilEvent("delivery", (d) => d.status === "delivered");
    expect(delivered.every((f) => JSON.parse(f.data!).order_id === mine)).toBe(true);
    expect(JSON.parse(delivered.at(-1)!.data!)).toEqual(
      list.body.results.find((d: { order_id: number }) => d.order_id === mine),
    );

    const crew2s = await streams.crew2.untilEvent("delivery", (d) => d.status === "out_for_delivery");
    expect(crew2s.every((f) => JSON.parse(f.data!).order_id === theirs)).toBe(true);
    const managers = await streams.manager.untilEvent(
      "delivery",
      (d) => d.order_id === mine && d.status === "delivered",
    );
    expect(new Set(managers.map((f) => JSON.parse(f.data!).order_id))).toEqual(new Set([theirs, mine]));
    for (const s of Object.values(streams)) await s.cancel();
    await c.a.poller.settled();
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false });
  });

  it("a refused pickup writes nothing to the feed and shows nothing", async () => {
    const c = await cluster();
    const [crew, other] = [await c.user(["delivery-crew"]), await c.user(["delivery-crew"])];
    const orderId = await c.assigned(crew.id);
    const stream = sseReader(await c.stream(c.a, crew));
    const count = async () =>
      (
        await t.db
          .selectFrom("change_feed")
          .select(sql<number>`count(*)::int`.as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    expect((await c.act(c.b, other, orderId, "pickup")).status).toBe(404);
    expect((await c.act(c.b, crew, orderId, "deliver")).status).toBe(409);
    expect(await count()).toBe(before);
    expect(
      await t.db
        .selectFrom("deliveries")
        .select(["status", "version"])
        .where("order_id", "=", orderId)
        .executeTakeFirst(),
    ).toEqual({ status: "assigned", version: 1 });
    // The next frame the stream shows is the first change that happened.
    expect((await c.act(c.b, crew, orderId, "pickup")).status).toBe(200);
    const frames = await stream.untilEvent("delivery", (d) => d.order_id === orderId);
    expect(frames.map((f) => JSON.parse(f.data!).status)).toEqual(["out_for_delivery"]);
    await stream.cancel();
  });
});

describe("the delivery function's PingSource tick", () => {
  it("prunes delivery changes older than 24 hours", async () => {
    const c = await cluster();
    const crew = await c.user(["delivery-crew"]);
    const [old, young] = [await c.assigned(crew.id), await c.assigned(crew.id)];
    await sql`update change_feed set created_at = now() - interval '25 hours' where entity_id = ${old}`.execute(
      t.db,
    );
    const app = await assembleTest(deliveryFunction, t.db);
    const res = await postEvent(app, pingTick("delivery"));
    expect(res.status).toBe(200);
    expect(res.body.pruned).toMatchObject({ change_feed: 1 });
    const left = await t.db
      .selectFrom("change_feed")
      .select("entity_id")
      .where("entity", "=", "delivery")
      .where("entity_id", "in", [old, young])
      .execute();
    expect(left).toEqual([{ entity_id: young }]);
  });
});
