import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { baseConfigSchema } from "../../shared/config/schema.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { createActor, type Role } from "../../shared/testing/actors.ts";
import { quietLogger } from "../../shared/testing/event-fixtures.ts";
import { call, createTestKeys, type TestKeys, useTestDb } from "../../shared/testing/index.ts";
import { fillCart } from "../order/test-support.ts";
import { FUNCTIONS } from "../registry.ts";
import { createLocalStack, type LocalStack } from "./stack.ts";

// A consumer away past every retry of its Triggers: every event it should have applied is dead-lettered
// (kept, in the designated sink). After it comes back, its PingSource tick's reconciliation must bring
// its rows into line with the producer's, within two ticks. Time passing is simulated by moving the
// rows' updated_at back past the reconciliation's grace period (the ticks come a minute apart).

const t = useTestDb();
let current: LocalStack | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A function whose whole app answers 503 while `down.value` is true, as a pod that is not there. */
function killable(name: string, down: { value: boolean }): FunctionDefinition {
  const definition = FUNCTIONS.find((f) => f.name === name)!;
  return {
    ...definition,
    http: (deps) => {
      // Mounted before the event routes, so /events is down too.
      const app = new Hono<AppEnv>();
      app.use("*", async (c, next) => {
        if (down.value) return c.json({ detail: "not there" }, 503);
        await next();
      });
      app.route("/", definition.http(deps));
      return app;
    },
  };
}

async function stack(keys: TestKeys, replaced: FunctionDefinition) {
  current = await createLocalStack({
    functions: FUNCTIONS.map((f) => (f.name === replaced.name ? replaced : f)),
    env: {},
    config: baseConfigSchema.parse({}),
    db: t.db,
    logger: quietLogger,
    verify: keys.verify,
    timeScale: 0.001, // the 14 retries (1050 s) take about a second
  });
  return current;
}

/** The stack's gateway as `call` takes an app. */
function gateway(s: LocalStack) {
  return {
    request: async (path: string, init?: RequestInit) =>
      s.fetch(new Request(`http://127.0.0.1${path}`, init)),
  };
}

async function actors(keys: TestKeys) {
  const as = (role: Role) => createActor(t.db, keys, role);
  return { customer: await as("customer"), manager: await as("manager"), crew: await as("crew") };
}

async function placeOrder(s: LocalStack, customer: { principal: { id: number }; token: string }) {
  await fillCart(t.db, customer.principal.id, [{ price: "4.00", quantity: 1 }]);
  const res = await call(gateway(s), "POST", "/api/orders", { token: customer.token });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

/** A minute passes for the given rows: they fall outside the reconciliation's grace period. */
async function aMinuteLater() {
  const earlier = new Date(Date.now() - 90_000);
  await t.db.updateTable("orders").set({ updated_at: earlier }).execute();
  await t.db.updateTable("deliveries").set({ updated_at: earlier }).execute();
}

async function twoTicks(s: LocalStack) {
  await s.broker.firePings();
  await s.broker.settled();
  await s.broker.firePings();
  await s.broker.settled();
}

async function states(orderIds: number[]) {
  return t.db
    .selectFrom("orders as o")
    .leftJoin("deliveries as d", "d.order_id", "o.id")
    .select([
      "o.id",
      "o.status as orderStatus",
      "o.delivery_crew_id as orderCrew",
      "d.status as deliveryStatus",
      "d.delivery_crew_id as deliveryCrew",
    ])
    .where("o.id", "in", orderIds)
    .orderBy("o.id")
    .execute();
}

describe("convergence after a consumer was away past every retry", () => {
  it("delivery: opens the missing records and aligns status and crew within two ticks", async () => {
    const keys = await createTestKeys();
    const down = { value: false };
    const s = await stack(keys, killable("delivery", down));
    const { customer, manager, crew } = await actors(keys);
    down.value = true;
    const placed = await placeOrder(s, customer);
    const assigned = await placeOrder(s, customer);
    const patched = await call(gateway(s), "PATCH", `/api/orders/${assigned}`, {
      token: manager.token,
      json: { delivery_crew: crew.principal.id },
    });
    expect(patched.status).toBe(200);
    await s.broker.settled(); // every retry failed: the events are dead letters now
    const letters = await t.db
      .selectFrom("dead_letters")
      .select(["consumer", "subject"])
      .where("subject", "in", [String(placed), String(assigned)])
      .execute();
    expect(letters.length).toBeGreaterThanOrEqual(2);
    expect(new Set(letters.map((l) => l.consumer))).toEqual(new Set(["delivery"]));
    expect((await states([placed, assigned])).map((r) => r.deliveryStatus)).toEqual([null, null]);

    down.value = false;
    await aMinuteLater();
    await twoTicks(s);
    expect(await states([placed, assigned])).toEqual([
      {
        id: placed,
        orderStatus: "placed",
        orderCrew: null,
        deliveryStatus: "unassigned",
        deliveryCrew: null,
      },
      {
        id: assigned,
        orderStatus: "assigned",
        orderCrew: crew.principal.id,
        deliveryStatus: "assigned",
        deliveryCrew: crew.principal.id,
      },
    ]);
  });

  it("order: follows a delivery that went ahead while the order function was away", async () => {
    const keys = await createTestKeys();
    const down = { value: false };
    const s = await stack(keys, killable("order", down));
    const { customer, manager, crew } = await actors(keys);
    const id = await placeOrder(s, customer);
    await call(gateway(s), "PATCH", `/api/orders/${id}`, {
      token: manager.token,
      json: { delivery_crew: crew.principal.id },
    });
    await s.broker.settled();
    expect((await states([id]))[0]).toMatchObject({ orderStatus: "assigned", deliveryStatus: "assigned" });

    down.value = true;
    for (const step of ["pickup", "deliver"]) {
      const res = await call(gateway(s), "POST", `/api/deliveries/${id}/${step}`, { token: crew.token });
      expect(res.status).toBe(200);
    }
    await s.broker.settled();
    expect((await states([id]))[0]).toMatchObject({ orderStatus: "assigned", deliveryStatus: "delivered" });

    down.value = false;
    await aMinuteLater();
    await twoTicks(s);
    expect((await states([id]))[0]).toMatchObject({ orderStatus: "delivered", deliveryStatus: "delivered" });
  });
});
