import { describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { useE2eStack } from "./e2e-support.ts";

// Issue 5 end to end: the real five functions behind `npm start`'s gateway and local broker, driven over
// HTTP as a Little Lemon client would. Every hop between order and delivery is an event routed by the
// Triggers in knative/; `broker.settled()` waits for each chain of them to finish.

const t = useTestDb();
const e2e = useE2eStack(t);

/** A seeded menu item by its title. */
async function seededItem(title: string): Promise<{ id: number; price: string }> {
  const answer = await e2e.api.request("GET", `/api/menu-items?search=${encodeURIComponent(title)}`);
  return answer.body.results.find((i: { title: string }) => i.title === title);
}

/** A customer registered over HTTP and logged in with djoser's `/token/login` (form body, `Token` scheme). */
async function customer(): Promise<{ id: number; token: string }> {
  const user = await e2e.api.register("customer");
  const login = await e2e.api.request("POST", "/token/login", {
    form: { username: user.username, password: user.password },
  });
  expect(login.status).toBe(200);
  return { id: user.id, token: login.body.auth_token };
}

/** A user registered over HTTP whom the manager adds to the delivery crew; logged in afterwards. */
async function crewMember(): Promise<{ id: number; token: string }> {
  const user = await e2e.api.register("crew");
  const added = await e2e.api.request("POST", "/api/groups/delivery-crew/users", {
    token: e2e.manager,
    form: { username: user.username },
  });
  expect(added.status).toBe(201);
  return { id: user.id, token: await e2e.api.logIn(user) }; // the new token carries the group
}

/** Fills the customer's cart (Little Lemon form bodies) and places the order. */
async function placeOrder(token: string, headers: Record<string, string> = {}) {
  const bruschetta = await seededItem("Bruschetta");
  const salad = await seededItem("Greek Salad");
  for (const [item, quantity] of [
    [bruschetta, 2],
    [salad, 1],
  ] as const) {
    const added = await e2e.api.request("POST", "/api/cart/menu-items", {
      token,
      scheme: "Token",
      form: { menuitem: item.id, quantity, unit_price: "0.01" }, // a price sent by the client is ignored
    });
    expect(added.status).toBe(201);
  }
  return e2e.api.request("POST", "/api/cart/orders", { token, scheme: "Token", headers });
}

/**
 * A placed order the manager assigned to a new crew member (the PATCH's body in JSON or, as Little Lemon
 * clients send it, form-encoded), both functions settled.
 */
async function assignedOrder(encoding: "json" | "form" = "form") {
  const buyer = await customer();
  const crew = await crewMember();
  const orderId: number = (await placeOrder(buyer.token)).body.id;
  await e2e.settled();
  const assign = { token: e2e.manager, [encoding]: { delivery_crew: crew.id } };
  expect((await e2e.api.request("PATCH", `/api/orders/${orderId}`, assign)).status).toBe(200);
  await e2e.settled();
  return { buyer, crew, orderId };
}

async function deliveryOf(orderId: number, token = e2e.manager) {
  const answer = await e2e.api.request("GET", "/api/deliveries?perpage=100", { token });
  expect(answer.status).toBe(200);
  return answer.body.results.find((d: { order_id: number }) => d.order_id === orderId);
}

async function orderOf(orderId: number, token: string) {
  const answer = await e2e.api.request("GET", `/api/orders/${orderId}`, { token });
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Every event written about an order, by either function: `source type status`, sorted. */
async function eventsAbout(orderId: number): Promise<string[]> {
  const rows = await t.db
    .selectFrom("outbox")
    .select(["source", "type", "status"])
    .where("subject", "=", String(orderId))
    .where("source", "in", ["/tavola/order", "/tavola/delivery"])
    .execute();
  return rows.map((r) => `${r.source} ${r.type} ${r.status}`).sort();
}

async function count(table: "outbox" | "processed_events" | "dead_letters"): Promise<number> {
  const row = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the order lifecycle end to end (over HTTP, through the local broker)", () => {
  it("register, cart, order (idempotent), delivery, assign, pickup, delivered: both sides agree", async () => {
    const buyer = await customer();
    const key = { "idempotency-key": crypto.randomUUID() };
    const placed = await placeOrder(buyer.token, key);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      user: buyer.id,
      delivery_crew: null,
      status: "placed",
      total: "27.99",
    });
    const orderId: number = placed.body.id;

    // The retry of a request whose answer was lost replays the first answer and places nothing.
    const retry = await e2e.api.request("POST", "/api/cart/orders", { token: buyer.token, headers: key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(placed.body);
    const mine = await e2e.api.request("GET", "/api/orders", { token: buyer.token });
    expect(mine.body.results.map((o: { id: number }) => o.id)).toEqual([orderId]);
    expect((await e2e.api.request("GET", "/api/cart/menu-items", { token: buyer.token })).body.count).toBe(0);

    await e2e.settled(); // tavola.order.placed → delivery opens an unassigned delivery
    expect(await deliveryOf(orderId)).toMatchObject({ status: "unassigned", delivery_crew: null });

    const crew = await crewMember();
    const assigned = await e2e.api.request("PATCH", `/api/orders/${orderId}`, {
      token: e2e.manager,
      form: { delivery_crew: crew.id },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: "assigned", delivery_crew: crew.id });
    await e2e.settled(); // tavola.order.assigned → delivery assigns it
    const forCrew = await deliveryOf(orderId, crew.token);
    expect(forCrew).toMatchObject({ status: "assigned", delivery_crew: crew.id, picked_up_at: null });
    expect(forCrew.assigned_at).not.toBeNull();

    const pickup = await e2e.api.request("POST", `/api/deliveries/${orderId}/pickup`, { token: crew.token });
    expect(pickup.status).toBe(200);
    expect(pickup.body.status).toBe("out_for_delivery");
    await e2e.settled(); // tavola.delivery.status.changed → the order is out for delivery
    expect((await orderOf(orderId, buyer.token)).status).toBe("out_for_delivery");

    const delivered = await e2e.api.request("PATCH", `/api/orders/${orderId}`, {
      token: crew.token,
      form: { status: 1 }, // Little Lemon's "delivered"
    });
    expect(delivered.status).toBe(200);
    expect(delivered.body.status).toBe("delivered");
    await e2e.settled(); // tavola.order.status.changed → delivery records the delivery

    expect(await orderOf(orderId, buyer.token)).toMatchObject({
      status: "delivered",
      delivery_crew: crew.id,
    });
    expect(await orderOf(orderId, crew.token)).toMatchObject({ status: "delivered" });
    const final = await deliveryOf(orderId);
    expect(final).toMatchObject({ status: "delivered", delivery_crew: crew.id });
    expect(final.picked_up_at).not.toBeNull();
    expect(final.delivered_at).not.toBeNull();

    // Each change was told once; the one echo (order's out_for_delivery after delivery's) stopped there.
    expect(await eventsAbout(orderId)).toEqual([
      "/tavola/delivery tavola.delivery.status.changed sent",
      "/tavola/order tavola.order.assigned sent",
      "/tavola/order tavola.order.placed sent",
      "/tavola/order tavola.order.status.changed sent", // assigned
      "/tavola/order tavola.order.status.changed sent", // out_for_delivery, the echo of the pickup
      "/tavola/order tavola.order.status.changed sent", // delivered
    ]);
    // No loops: one more sweep and settle writes, sends and applies nothing more.
    const before = [await count("outbox"), await count("processed_events")];
    await e2e.stack.broker.firePings();
    await e2e.settled();
    expect([await count("outbox"), await count("processed_events")]).toEqual(before);
    const pending = await t.db.selectFrom("outbox").select("id").where("status", "<>", "sent").execute();
    expect(pending).toEqual([]);
    expect(await count("dead_letters")).toBe(0);
  });

  it("the same Idempotency-Key with another body is 422 and places nothing", async () => {
    const buyer = await customer();
    const key = { "idempotency-key": crypto.randomUUID() };
    expect((await placeOrder(buyer.token, key)).status).toBe(201);
    const other = await e2e.api.request("POST", "/api/orders", {
      token: buyer.token,
      headers: key,
      json: { note: "a different body" },
    });
    expect(other.status).toBe(422);
    expect((await e2e.api.request("GET", "/api/orders", { token: buyer.token })).body.count).toBe(1);
  });

  it("a customer cancels a placed order: its delivery is cancelled", async () => {
    const buyer = await customer();
    const orderId: number = (await placeOrder(buyer.token)).body.id;
    await e2e.settled();
    expect(await deliveryOf(orderId)).toMatchObject({ status: "unassigned" });

    const cancelled = await e2e.api.request("POST", `/api/orders/${orderId}/cancel`, { token: buyer.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    await e2e.settled();
    expect(await deliveryOf(orderId)).toMatchObject({ status: "cancelled", delivery_crew: null });
    expect((await orderOf(orderId, buyer.token)).status).toBe("cancelled");
  });

  it("a manager cancels an assigned order: its delivery is cancelled and the crew can no longer pick it up", async () => {
    const { buyer, crew, orderId } = await assignedOrder("json");
    expect(await deliveryOf(orderId, crew.token)).toMatchObject({ status: "assigned" });

    // The owner may no longer cancel once it is assigned; the manager may.
    const byOwner = await e2e.api.request("POST", `/api/orders/${orderId}/cancel`, { token: buyer.token });
    expect(byOwner.status).toBe(409);
    const byManager = await e2e.api.request("POST", `/api/orders/${orderId}/cancel`, { token: e2e.manager });
    expect(byManager.status).toBe(200);
    expect(byManager.body.status).toBe("cancelled");
    await e2e.settled();
    expect(await deliveryOf(orderId, crew.token)).toMatchObject({
      status: "cancelled",
      delivery_crew: crew.id,
    });

    const pickup = await e2e.api.request("POST", `/api/deliveries/${orderId}/pickup`, { token: crew.token });
    expect(pickup.status).toBe(409);
    await e2e.settled();
    expect((await orderOf(orderId, buyer.token)).status).toBe("cancelled");
    expect(await eventsAbout(orderId)).not.toContain("/tavola/delivery tavola.delivery.status.changed sent");
  });
});

describe("the crew's and the manager's other paths (over HTTP, through the local broker)", () => {
  it("the crew delivers through /api/deliveries: the order follows to delivered", async () => {
    const { buyer, crew, orderId } = await assignedOrder();
    for (const step of ["pickup", "deliver"]) {
      const answer = await e2e.api.request("POST", `/api/deliveries/${orderId}/${step}`, {
        token: crew.token,
      });
      expect(answer.status).toBe(200);
      await e2e.settled();
    }
    expect(await orderOf(orderId, buyer.token)).toMatchObject({
      status: "delivered",
      delivery_crew: crew.id,
    });
    expect(await deliveryOf(orderId, crew.token)).toMatchObject({ status: "delivered" });
    expect(await eventsAbout(orderId)).toEqual([
      "/tavola/delivery tavola.delivery.status.changed sent", // out_for_delivery
      "/tavola/delivery tavola.delivery.status.changed sent", // delivered
      "/tavola/order tavola.order.assigned sent",
      "/tavola/order tavola.order.placed sent",
      "/tavola/order tavola.order.status.changed sent", // assigned
      "/tavola/order tavola.order.status.changed sent", // out_for_delivery, the echo of the pickup
      "/tavola/order tavola.order.status.changed sent", // delivered, the echo of the delivery
    ]);
  });

  it("a manager deletes an order out for delivery: its delivery is cancelled", async () => {
    const { buyer, crew, orderId } = await assignedOrder();
    expect(
      (await e2e.api.request("POST", `/api/deliveries/${orderId}/pickup`, { token: crew.token })).status,
    ).toBe(200);
    await e2e.settled();
    expect((await e2e.api.request("DELETE", `/api/orders/${orderId}`, { token: e2e.manager })).status).toBe(
      204,
    );
    await e2e.settled();
    expect((await e2e.api.request("GET", `/api/orders/${orderId}`, { token: buyer.token })).status).toBe(404);
    expect(await deliveryOf(orderId, crew.token)).toMatchObject({ status: "cancelled" });
    const deliver = await e2e.api.request("POST", `/api/deliveries/${orderId}/deliver`, {
      token: crew.token,
    });
    expect(deliver.status).toBe(409);
  });
});
