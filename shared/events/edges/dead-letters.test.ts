import { describe, expect, it } from "vitest";
import { cartFunction } from "../../../functions/cart/definition.ts";
import { gatewayRoutes } from "../../../functions/registry.ts";
import { createActor } from "../../testing/actors.ts";
import { assembleTest, changeMenuPrice, postEvent, probeConsumer } from "../../testing/event-fixtures.ts";
import { type CallResult, call, createMenuItem, createTestKeys, useTestDb } from "../../testing/index.ts";
import { testSenderAuthorization } from "../../testing/sender.ts";
import { DEAD_LETTER_HEADER, OUTCOME_HEADER } from "./receiver.ts";

const t = useTestDb();

/** The real cart with a customer's line at 9.50, and a manager's and a customer's tokens. */
async function setUp() {
  const keys = await createTestKeys();
  const app = await assembleTest(cartFunction, t.db, { verify: keys.verify });
  const { principal: customer, token: customerToken } = await createActor(t.db, keys, "customer");
  const item = await createMenuItem(t.db, { price: "9.50" });
  await t.db
    .insertInto("cart_items")
    .values({ user_id: customer.id, menuitem_id: item.id, quantity: 1, unit_price: "9.50" })
    .execute();
  const { token: manager } = await createActor(t.db, keys, "manager");
  return { app, item, customer, manager, customerToken };
}

/**
 * A price change in the menu, and what the broker sends the dead-letter sink after the cart answered
 * 503 five times to its event.
 */
async function deadLetter(menuitemId: number, price: string, id = crypto.randomUUID()) {
  return {
    event: {
      id,
      source: "/tavola/menu",
      type: "tavola.menu.item.changed",
      subject: String(menuitemId),
      data: await changeMenuPrice(t.db, menuitemId, price),
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
      const { event, extensions } = await deadLetter(item.id, "7.00");
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
    const { event, extensions } = await deadLetter(item.id, "7.00");
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
    const { event, extensions } = await deadLetter(item.id, "7.00");
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
    const { event, extensions } = await deadLetter(item.id, "7.00");
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

  describe("keeps every letter, whatever its body", () => {
    const KNATIVE = {
      "ce-knativeerrorcode": "400",
      "ce-knativeerrordest": "http://cart.tavola.svc.cluster.local/events",
    };
    const binary = async (id: string, contentType: string | undefined) => ({
      authorization: await testSenderAuthorization(),
      "ce-specversion": "1.0",
      "ce-id": id,
      "ce-source": "/tavola/menu",
      "ce-type": "tavola.menu.item.changed",
      ...(contentType ? { "content-type": contentType } : {}),
      ...KNATIVE,
    });
    const cases: [string, string | undefined, Uint8Array][] = [
      ["data that is not JSON", "application/json", new TextEncoder().encode("{not json")],
      ["bytes that are not UTF-8", "application/octet-stream", new Uint8Array([0xff, 0xfe, 0x00, 0x80])],
      ["an empty body", undefined, new Uint8Array()],
      ["a body at the 64 KiB limit", "text/plain", new Uint8Array(64 * 1024).fill(0x61)],
    ];
    it.each(cases)(
      "stores %s raw, lists it, and refuses its replay without losing it",
      async (_, type, body) => {
        const { app, manager } = await setUp();
        const id = crypto.randomUUID();
        const res = await app.request("/events/dead-letter", {
          method: "POST",
          headers: await binary(id, type),
          body: body.byteLength > 0 ? body : null,
        });
        expect(res.status).toBe(204);
        const row = await t.db
          .selectFrom("dead_letters")
          .selectAll()
          .where("event_id", "=", id)
          .executeTakeFirstOrThrow();
        expect(Buffer.from(row.body!).equals(Buffer.from(body))).toBe(true);
        expect(row).toMatchObject({ consumer: "cart", type: "tavola.menu.item.changed", error_code: "400" });
        expect(row.data).toBeNull();
        expect(row.attributes).toMatchObject({
          knativeerrorcode: "400",
          knativeerrordest: KNATIVE["ce-knativeerrordest"],
        });

        const list = await call(app, "GET", "/api/dead-letters/cart?replayed=false&perpage=100", {
          token: manager,
        });
        const shown = list.body.results.find((r: { event_id: string }) => r.event_id === id);
        expect(shown).toMatchObject({ data: null, body_base64: Buffer.from(body).toString("base64") });
        const replay = await call(app, "POST", `/api/dead-letters/cart/${row.id}/replay`, { token: manager });
        expect(replay.status).toBe(400);
        const after = await t.db
          .selectFrom("dead_letters")
          .select(["replayed_at", "id"])
          .where("event_id", "=", id)
          .executeTakeFirstOrThrow();
        expect(after).toEqual({ replayed_at: null, id: row.id });
      },
    );

    it("stores a letter with no CloudEvent attributes at all under a digest of what came", async () => {
      const { app } = await setUp();
      const body = new TextEncoder().encode(`garbage ${crypto.randomUUID()}`);
      const authorization = await testSenderAuthorization();
      const send = () =>
        app.request("/events/dead-letter", {
          method: "POST",
          headers: { "content-type": "text/plain", authorization },
          body,
        });
      const [first, second] = [await send(), await send()];
      expect([first.status, second.status]).toEqual([204, 204]);
      expect(first.headers.get(DEAD_LETTER_HEADER)).toBe(second.headers.get(DEAD_LETTER_HEADER));
      const row = await t.db
        .selectFrom("dead_letters")
        .selectAll()
        .where("id", "=", Number(first.headers.get(DEAD_LETTER_HEADER)))
        .executeTakeFirstOrThrow();
      expect(row.event_id).toMatch(/^sha256:[0-9a-f]{32}$/);
      expect(Buffer.from(row.body!).toString()).toBe(new TextDecoder().decode(body));
    });

    it("refuses only a body past the limit (413), storing nothing", async () => {
      const { app } = await setUp();
      const id = crypto.randomUUID();
      const res = await app.request("/events/dead-letter", {
        method: "POST",
        headers: await binary(id, "text/plain"),
        body: new Uint8Array(64 * 1024 + 1),
      });
      expect(res.status).toBe(413);
      expect(await t.db.selectFrom("dead_letters").select("id").where("event_id", "=", id).execute()).toEqual(
        [],
      );
    });
  });

  it("is routed by the gateway to the one function that owns the dead letters", () => {
    const routes = gatewayRoutes([probeConsumer("cart"), probeConsumer("order")]);
    expect(routes).toEqual([
      { prefix: "/api/dead-letters/cart", target: "cart" },
      { prefix: "/api/dead-letters/order", target: "order" },
    ]);
  });
});
