import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseConfigSchema } from "../../shared/config/schema.ts";
import { PING_TYPE } from "../../shared/events/edges/receiver.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createActor } from "../../shared/testing/actors.ts";
import { quietLogger } from "../../shared/testing/event-fixtures.ts";
import { freePort } from "../../shared/testing/free-port.ts";
import {
  createMenuItem,
  createTestKeys,
  createUser,
  type TestKeys,
  useTestDb,
} from "../../shared/testing/index.ts";
import { cartFunction } from "../cart/definition.ts";
import { menuFunction } from "../menu/definition.ts";
import { createLocalStack, type LocalStack } from "./stack.ts";

// The event flow end to end, over HTTP on the local stack's gateway: the menu function changes a price,
// its publisher sends the event to the local broker, the broker routes it by the Triggers in knative/ to
// the cart function, whose handler reprices the cart lines from the menu's row.

/**
 * The cart as its definition declares it, less its PingSource reconciliation: that repairs a lost
 * price change by itself, and these tests are about delivery (functions/local/reconciliation.test.ts
 * covers the repair).
 */
const cartWithoutRepair: FunctionDefinition = { ...cartFunction, onPing: undefined };

const t = useTestDb();
const PORT = await freePort();
let keys: TestKeys;
let server: ServerType | undefined;
let current: LocalStack | undefined;

beforeAll(async () => {
  keys = await createTestKeys();
  // One server for the file; each test puts its own stack behind it.
  server = serve({ fetch: (request) => current!.fetch(request), port: PORT, hostname: "127.0.0.1" });
});
afterAll(async () => {
  await current?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function stack(options: { menu?: FunctionDefinition; cart?: FunctionDefinition } = {}) {
  await current?.close();
  current = await createLocalStack({
    functions: [options.menu ?? menuFunction, options.cart ?? cartWithoutRepair],
    env: {},
    config: baseConfigSchema.parse({}),
    db: t.db,
    logger: quietLogger,
    verify: keys.verify,
    timeScale: 0.001, // a 10 s backoff takes 10 ms, a PingSource minute 60 ms
  });
  return current;
}

function http(method: string, path: string, body?: unknown, token?: string) {
  return fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/**
 * A menu item at 9.50 in two customers' carts, a line of another item that must not move, and a
 * manager's token for changing the menu.
 */
async function carts() {
  const { token: manager } = await createActor(t.db, keys, "manager");
  const item = await createMenuItem(t.db, { price: "9.50" });
  const other = await createMenuItem(t.db, { price: "3.00" });
  const users = [await createUser(t.db), await createUser(t.db)];
  for (const user of users) {
    await t.db
      .insertInto("cart_items")
      .values([
        { user_id: user.id, menuitem_id: item.id, quantity: 1, unit_price: "9.50" },
        { user_id: user.id, menuitem_id: other.id, quantity: 2, unit_price: "3.00" },
      ])
      .execute();
  }
  const prices = async () =>
    (
      await t.db
        .selectFrom("cart_items")
        .select(["menuitem_id", "unit_price"])
        .where(
          "user_id",
          "in",
          users.map((u) => u.id),
        )
        .orderBy("user_id")
        .orderBy("menuitem_id")
        .execute()
    ).map((r) => (r.menuitem_id === item.id ? `item ${r.unit_price}` : `other ${r.unit_price}`));
  return { item, prices, manager };
}

/**
 * The definition with `gate` in front of its `/events`: the gate answers a delivery itself, or answers
 * undefined to let it through to the function's own receiver.
 */
function gated(definition: FunctionDefinition, gate: (headers: Headers) => Response | undefined) {
  return {
    ...definition,
    http: (deps: Parameters<FunctionDefinition["http"]>[0]) => {
      // Mounted before the event routes, so it sees every delivery first.
      const app = new Hono<AppEnv>();
      app.use("/events", async (c, next) => {
        const answer = gate(c.req.raw.headers);
        if (answer) return answer;
        await next();
      });
      app.route("/", definition.http(deps));
      return app;
    },
  } satisfies FunctionDefinition;
}

/**
 * A cart whose `/events` answers 503 to the first `failures` deliveries of events about one menu item
 * (other tests' events, swept late, must not use up the failures).
 */
function flakyCart(failures: number, menuItemId: number): FunctionDefinition {
  let left = failures;
  return gated(cartWithoutRepair, (headers) =>
    headers.get("ce-subject") === String(menuItemId) && left-- > 0
      ? Response.json({ detail: "not now" }, { status: 503 })
      : undefined,
  );
}

/** A menu whose PingSource ticks are acknowledged before they reach its outbox sweep. */
const menuWithoutSweep = gated(menuFunction, (headers) =>
  headers.get("ce-type") === PING_TYPE
    ? Response.json({ sweep: { skipped: "negative control" } })
    : undefined,
);

describe("events end to end through the local broker", () => {
  it("carries a price change and a deletion to every affected cart", async () => {
    const s = await stack();
    const { item, prices, manager } = await carts();
    const change = await http("PATCH", `/api/menu-items/${item.id}`, { price: "11.00" }, manager);
    expect(change.status).toBe(200);
    await s.broker.settled();
    expect(await prices()).toEqual(["item 11.00", "other 3.00", "item 11.00", "other 3.00"]);
    expect((await http("DELETE", `/api/menu-items/${item.id}`, undefined, manager)).status).toBe(204);
    await s.broker.settled();
    expect(await prices()).toEqual(["other 3.00", "other 3.00"]);
    // The lines went with the item (the foreign key cascades); the deletion's event reached the cart too.
    const deleted = await t.db
      .selectFrom("outbox")
      .select(["id", "status"])
      .where("type", "=", "tavola.menu.item.deleted")
      .where("subject", "=", String(item.id))
      .executeTakeFirstOrThrow();
    expect(deleted.status).toBe("sent");
    const consumers = await t.db
      .selectFrom("processed_events")
      .select("consumer")
      .where("event_id", "=", deleted.id)
      .execute();
    expect(consumers).toEqual([{ consumer: "cart" }]);
  });

  /** Changes a price while the broker is down, brings it back, and lets the PingSources tick. */
  async function brokerDownThenSweep(menu?: FunctionDefinition) {
    const s = await stack(menu ? { menu } : {});
    const { item, prices, manager } = await carts();
    s.broker.stop();
    const answer = await http("PATCH", `/api/menu-items/${item.id}`, { price: "12.00" }, manager);
    const whileDown = await prices();
    s.broker.start();
    await s.broker.firePings();
    await s.broker.settled();
    return { status: answer.status, whileDown, after: await prices() };
  }

  function expectNoLoss(result: Awaited<ReturnType<typeof brokerDownThenSweep>>) {
    expect(result.status).toBe(200); // the client is answered normally while the broker is down
    expect(result.whileDown).toEqual(["item 9.50", "other 3.00", "item 9.50", "other 3.00"]);
    expect(result.after).toEqual(["item 12.00", "other 3.00", "item 12.00", "other 3.00"]);
  }

  it("loses nothing while the broker is down: the sweep sends it once the broker is back", async () => {
    expectNoLoss(await brokerDownThenSweep());
  });

  it("negative control: with the menu's ticks kept from its sweep, the same test sees the event lost", async () => {
    const result = await brokerDownThenSweep(menuWithoutSweep);
    expect(() => expectNoLoss(result)).toThrow();
    expect(result.after).toEqual(result.whileDown);
  });

  it("gets an event through a consumer that fails with 5xx a few times", async () => {
    const { item, prices, manager } = await carts();
    const s = await stack({ cart: flakyCart(3, item.id) });
    await http("PATCH", `/api/menu-items/${item.id}`, { price: "8.75" }, manager);
    await s.broker.settled();
    expect(await prices()).toEqual(["item 8.75", "other 3.00", "item 8.75", "other 3.00"]);
    expect(
      await t.db.selectFrom("dead_letters").select("id").where("subject", "=", String(item.id)).execute(),
    ).toEqual([]);
  });

  it("dead-letters the event after the last retry, and a manager's replay applies it", async () => {
    const { item, prices, manager } = await carts();
    const s = await stack({ cart: flakyCart(15, item.id) }); // the first try and all 14 retries fail
    await http("PATCH", `/api/menu-items/${item.id}`, { price: "7.25" }, manager);
    await s.broker.settled();
    expect(await prices()).toEqual(["item 9.50", "other 3.00", "item 9.50", "other 3.00"]);

    const listed = await http("GET", "/api/dead-letters/cart?replayed=false", undefined, manager);
    const { results } = (await listed.json()) as { results: { id: number; subject: string }[] };
    const letter = results.find((r) => r.subject === String(item.id));
    expect(letter).toMatchObject({
      type: "tavola.menu.item.changed",
      source: "/tavola/menu",
      error_code: "503",
    });
    const replay = await http("POST", `/api/dead-letters/cart/${letter!.id}/replay`, undefined, manager);
    expect(replay.status).toBe(200);
    expect(await prices()).toEqual(["item 7.25", "other 3.00", "item 7.25", "other 3.00"]);
  });
});
