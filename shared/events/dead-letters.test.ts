import { describe, expect, it } from "vitest";
import { gatewayRoutes } from "../../functions/registry.ts";
import { assembleTest, postEvent, testConsumer } from "../testing/event-fixtures.ts";
import {
  type CallResult,
  call,
  createMenuItem,
  createTestKeys,
  createUser,
  useTestDb,
} from "../testing/index.ts";
import { DEAD_LETTER_HEADER, OUTCOME_HEADER } from "./receiver.ts";

const t = useTestDb();

/** The cart test consumer with a cart line at 9.50, and a manager's and a customer's tokens. */
async function setUp() {
  const keys = await createTestKeys();
  const app = await assembleTest(testConsumer(), t.db, { verify: keys.verify });
  const customer = await createUser(t.db);
  const item = await createMenuItem(t.db, { price: "9.50" });
  await t.db
    .insertInto("cart_items")
    .values({ user_id: customer.id, menuitem_id: item.id, quantity: 1, unit_price: "9.50" })
    .execute();
  const manager = await keys.tokenFor(await createUser(t.db, { groups: ["manager"] }));
  return { app, item, customer, manager, customerToken: await keys.tokenFor(customer) };
}

/** What the broker sends the dead-letter sink after the cart answered 503 five times. */
function deadLetter(menuitemId: number, price: string, id = crypto.randomUUID()) {
  return {
    event: {
      id,
      source: "/tavola/menu",
      type: "tavola.menu.item.changed",
      subject: String(menuitemId),
      data: { menuitem_id: menuitemId, version: 2, title: "Soup", price },
    },
    extensions: { knativeerrorcode: "503", knativeerrordest: "http://cart.tavola.svc.cluster.local/events" },
  };
}

function storedId(res: CallResult): number {
  return Number(res.headers.get(DEAD_LETTER_HEADER));
}

async function cartPrice(userId: number) {
  const row = await t.db
    .selectFrom("cart_items")
    .select("unit_price")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.unit_price;
}

describe("dead letters", () => {
  it.each(["binary", "structured"] as const)(
    "stores what the broker gave up on (%s mode) with Knative's extensions",
    async (mode) => {
      const { app, item } = await setUp();
      const { event, extensions } = deadLetter(item.id, "7.00");
      const res = await postEvent(app, event, { mode, path: "/events/dead-letter", extensions });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined(); // Knative takes any other 2xx body for a malformed reply
      const row = await t.db
        .selectFrom("dead_letters")
        .selectAll()
        .where("id", "=", storedId(res))
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        consumer: "cart",
        event_id: event.id,
        source: "/tavola/menu",
        type: "tavola.menu.item.changed",
        subject: String(item.id),
        error_code: "503",
        error_dest: "http://cart.tavola.svc.cluster.local/events",
        data: event.data,
        replayed_at: null,
      });
      expect(row.attributes).toMatchObject({ specversion: "1.0", id: event.id, ...extensions });
    },
  );

  it("keeps one row per event when the same event is dead-lettered again", async () => {
    const { app, item } = await setUp();
    const { event, extensions } = deadLetter(item.id, "7.00");
    const first = await postEvent(app, event, { path: "/events/dead-letter", extensions });
    const again = await postEvent(app, event, {
      path: "/events/dead-letter",
      extensions: { ...extensions, knativeerrorcode: "500" },
    });
    expect(storedId(again)).toBe(storedId(first));
    const rows = await t.db
      .selectFrom("dead_letters")
      .select("error_code")
      .where("event_id", "=", event.id)
      .execute();
    expect(rows).toEqual([{ error_code: "500" }]);
  });

  it("lets only managers list them, newest first, filtered on whether they were replayed", async () => {
    const { app, item, manager, customerToken } = await setUp();
    const { event, extensions } = deadLetter(item.id, "7.00");
    await postEvent(app, event, { path: "/events/dead-letter", extensions });
    expect((await call(app, "GET", "/api/dead-letters/cart")).status).toBe(401);
    expect((await call(app, "GET", "/api/dead-letters/cart", { token: customerToken })).status).toBe(403);
    const list = await call(app, "GET", "/api/dead-letters/cart/?replayed=false&perpage=5", {
      token: manager,
    });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ previous: null });
    expect(list.body.results[0]).toMatchObject({
      event_id: event.id,
      error_code: "503",
      replayed_at: null,
      data: event.data,
    });
    const one = await call(app, "GET", `/api/dead-letters/cart/${list.body.results[0].id}`, {
      token: manager,
    });
    expect(one.body.event_id).toBe(event.id);
    expect((await call(app, "GET", "/api/dead-letters/cart/999999", { token: manager })).status).toBe(404);
  });

  it("replays a dead letter through the receiver: applied once, marked replayed, and a second replay is a duplicate", async () => {
    const { app, item, customer, manager } = await setUp();
    const { event, extensions } = deadLetter(item.id, "7.00");
    const stored = await postEvent(app, event, { path: "/events/dead-letter", extensions });
    const replay = await call(app, "POST", `/api/dead-letters/cart/${storedId(stored)}/replay`, {
      token: manager,
    });
    expect(replay.status).toBe(200);
    expect(replay.body.outcome).toBe("applied");
    expect(replay.body.dead_letter.replayed_at).toEqual(expect.any(String));
    expect(await cartPrice(customer.id)).toBe("7.00");
    const processed = await t.db
      .selectFrom("processed_events")
      .select("source")
      .where("event_id", "=", event.id)
      .execute();
    expect(processed).toEqual([{ source: "/tavola/menu" }]);

    const again = await call(app, "POST", `/api/dead-letters/cart/${storedId(stored)}/replay`, {
      token: manager,
    });
    expect(again.body.outcome).toBe("duplicate");
    const live = await postEvent(app, event); // the broker's own late redelivery is a duplicate too
    expect(live.status).toBe(204);
    expect(live.headers.get(OUTCOME_HEADER)).toBe("duplicate");
  });

  it("refuses to replay an event this function cannot apply, and leaves it unreplayed", async () => {
    const { app, manager } = await setUp();
    const stored = await postEvent(
      app,
      { type: "tavola.order.assigned", data: { order_id: 1, version: 2, delivery_crew_id: 2 } },
      { path: "/events/dead-letter" },
    );
    const replay = await call(app, "POST", `/api/dead-letters/cart/${storedId(stored)}/replay`, {
      token: manager,
    });
    expect(replay.status).toBe(400);
    const row = await t.db
      .selectFrom("dead_letters")
      .select("replayed_at")
      .where("id", "=", storedId(stored))
      .executeTakeFirstOrThrow();
    expect(row.replayed_at).toBeNull();
  });

  it("is routed by the gateway to the one function that owns the dead letters", () => {
    const routes = gatewayRoutes([testConsumer("cart"), testConsumer("order")]);
    expect(routes).toEqual([
      { prefix: "/api/dead-letters/cart", target: "cart" },
      { prefix: "/api/dead-letters/order", target: "order" },
    ]);
  });
});
